import { PATTERN_EXTRAS_METADATA, PATTERN_HANDLER_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum';
import type { MessageFilter } from '../event-consumer';
import type { InboundMessage } from '../inbound-message';

/**
 * The extras of a Kafka `@EventPattern`: the topic the event types arrive on, and what the handler
 * ignores, so relevance is decided from the headers before any database work (see `onTopic`).
 */
export interface KafkaEventExtras {
  topic: string;
  /**
   * Only these statuses (the `ce_umgstatus` header) concern the handler; a message announcing
   * another is skipped. A message without the header (an older producer) is always handled, so
   * the handler must still pass over the statuses it does not take.
   */
  statuses?: readonly string[];
  /** Other event types on the topic that this handler knows and skips (not poison). */
  ignores?: readonly string[];
}

/** The extras of `@EventPattern(type, onTopic(topic, { statuses }))`, typed. */
export function onTopic(topic: string, options: Omit<KafkaEventExtras, 'topic'> = {}): KafkaEventExtras {
  return { topic, ...options };
}

/** One `@EventPattern` declaration: an event type and its extras. */
export interface EventDeclaration {
  type: string;
  extras: KafkaEventExtras;
}

/** How the events of one topic are taken: by type (with an optional status filter), or skipped. */
export interface TopicRoute {
  statuses: Map<string, ReadonlySet<string> | undefined>;
  ignored: Set<string>;
}

/** The declarations grouped by topic; a bad declaration is a programming error, thrown at boot. */
export function topicRoutes(declarations: EventDeclaration[]): Map<string, TopicRoute> {
  const routes = new Map<string, TopicRoute>();
  for (const { type, extras } of declarations) {
    if (typeof extras?.topic !== 'string' || extras.topic === '') {
      throw new Error(`@EventPattern("${type}") names no topic: use onTopic(topic) as its extras`);
    }
    const route = routes.get(extras.topic) ?? { statuses: new Map(), ignored: new Set<string>() };
    routes.set(extras.topic, route);
    if (route.statuses.has(type)) throw new Error(`event type ${type} on ${extras.topic} has two handlers`);
    route.statuses.set(type, extras.statuses ? new Set(extras.statuses) : undefined);
    for (const ignored of extras.ignores ?? []) route.ignored.add(ignored);
  }
  for (const route of routes.values()) for (const type of route.statuses.keys()) route.ignored.delete(type);
  return routes;
}

/**
 * Whether a message of the topic can concern a handler, from its headers only: a type some handler
 * takes, in a status it takes (or with no status announced). A type no handler takes and none
 * ignores (or no type at all) is relevant: it is poison, dead-lettered with the reason.
 */
export function relevanceFilter(route: TopicRoute): MessageFilter {
  return (message: InboundMessage) => {
    const type = message.type;
    if (type === undefined) return true;
    if (route.ignored.has(type)) return false;
    if (!route.statuses.has(type)) return true;
    const statuses = route.statuses.get(type);
    const status = message.announcedStatus;
    return statuses === undefined || status === undefined || statuses.has(status);
  };
}

/** The `@EventPattern` declarations of an object's methods, with the method of each. */
export function declaredEvents(handler: object): (EventDeclaration & { method: string })[] {
  const prototype = Object.getPrototypeOf(handler) as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).flatMap((method) => {
    const target = prototype[method];
    if (typeof target !== 'function') return [];
    if (Reflect.getMetadata(PATTERN_HANDLER_METADATA, target) !== PatternHandler.EVENT) return [];
    const types = (Reflect.getMetadata(PATTERN_METADATA, target) ?? []) as string[];
    const extras = Reflect.getMetadata(PATTERN_EXTRAS_METADATA, target) as KafkaEventExtras;
    return types.map((type) => ({ type, extras, method }));
  });
}
