import { type ArgumentsHost, Catch, type INestApplication, type RpcExceptionFilter } from '@nestjs/common';
import {
  type CustomTransportStrategy,
  type MessageHandler as NestHandler,
  type NestMicroservice,
  Server,
} from '@nestjs/microservices';
import { isObservable, lastValueFrom, type Observable, throwError } from 'rxjs';
import type { EntityManager } from 'typeorm';
import type { MessageFilter, MessageHandler } from '../event-consumer';
import type { InboundMessage } from '../inbound-message';
import { PoisonMessageError } from '../poison-message.error';
import { KafkaEventContext } from './kafka-event-context';
import {
  declaredEvents,
  type EventDeclaration,
  type KafkaEventExtras,
  relevanceFilter,
  topicRoutes,
} from './kafka-event-routes';

/** Per topic, what the batch consumer runs: the handler of a message, and its relevance filter. */
export interface TopicHandlers {
  handlers: Record<string, MessageHandler>;
  accepts: Record<string, MessageFilter>;
}

/** The consumers the transport drives (the service's batch consumers, one per consumer group). */
export interface KafkaConsumers {
  start(topics: TopicHandlers): void;
  stop(): Promise<void>;
}

/**
 * A custom transport of @nestjs/microservices over our batch consumer. The handlers are controller
 * methods declared with `@EventPattern(cloudEventType, onTopic(topic, { statuses }))`; at `listen`
 * they become, per topic, one `MessageHandler` routing by `ce_type` and one relevance filter built
 * from the declarations alone, and the consumers start with them. What happens around a handler is
 * the consumer's, unchanged: chunks of a partition in one transaction with their inbox rows, a
 * failing message alone on the careful path (retries, then a dead letter through the outbox), the
 * offsets committed after the transaction, and nothing at all for a message found irrelevant.
 */
export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  constructor(private readonly consumers: KafkaConsumers) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      this.consumers.start(this.topicHandlers());
    } catch (error) {
      callback(error);
      return;
    }
    callback();
  }

  close(): Promise<void> {
    return this.consumers.stop();
  }

  /** Built from the registered `@EventPattern` handlers (the pattern is the event type). */
  topicHandlers(): TopicHandlers {
    const declarations: EventDeclaration[] = [];
    for (const [type, handler] of this.getHandlers()) {
      if (!handler.isEventHandler) throw new Error(`Kafka handlers are events: use @EventPattern for "${type}"`);
      if (handler.next) throw new Error(`event type "${type}" has more than one handler`);
      declarations.push({ type, extras: handler.extras as KafkaEventExtras });
    }
    const result: TopicHandlers = { handlers: {}, accepts: {} };
    for (const [topic, route] of topicRoutes(declarations)) {
      result.accepts[topic] = relevanceFilter(route);
      result.handlers[topic] = (message, manager) => {
        if (message.type !== undefined && route.ignored.has(message.type)) return Promise.resolve();
        const handler =
          message.type !== undefined && route.statuses.has(message.type) && this.getHandlers().get(message.type);
        if (!handler) {
          return Promise.reject(
            new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`),
          );
        }
        return invoke(handler, message, manager);
      };
    }
    return result;
  }

  on(): never {
    throw new Error('the Kafka event transport has no events to listen to');
  }

  unwrap<T>(): T {
    throw new Error('the Kafka event transport has no client to unwrap');
  }
}

/** Runs a handler through Nest's pipeline and waits for it, so its error reaches the consumer. */
async function invoke(handler: NestHandler, message: InboundMessage, manager: EntityManager): Promise<void> {
  const result: unknown = await handler(message, new KafkaEventContext([message, manager]));
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}

/**
 * Nest's default filter turns a handler's error into `{ status: 'error' }`: the consumer needs the
 * error itself (a poison message's reason code, a transient database error) to decide what to do.
 */
@Catch()
export class KafkaHandlerErrors implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Connects the controllers' `@EventPattern` handlers to the consumers and starts them: after the
 * application's bootstrap (its migrations), like the consumers always started.
 */
export async function startKafkaHandlers(app: INestApplication, consumers: KafkaConsumers): Promise<void> {
  // Deferred so the filter is in place before the handlers are wrapped; the shared container's
  // init hooks already ran with the application, so they are not run again.
  const microservice = app.connectMicroservice(
    { strategy: new KafkaEventTransport(consumers) },
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new KafkaHandlerErrors());
  (microservice as NestMicroservice).setIsInitHookCalled(true);
  await app.startAllMicroservices();
}

/**
 * What the consumers would run for these handler objects, without a Nest application (no pipes or
 * filters around the methods): for the handlers' specs, which check relevance against handling.
 */
export function kafkaHandlersOf(...handlers: object[]): TopicHandlers {
  const transport = new KafkaEventTransport({ start: () => undefined, stop: () => Promise.resolve() });
  for (const handler of handlers) {
    for (const { type, extras, method } of declaredEvents(handler)) {
      const run = (handler as Record<string, (data: unknown, context: unknown) => Promise<unknown>>)[method]!;
      transport.addHandler(type, (data: unknown, context: unknown) => run.call(handler, data, context), true, extras);
    }
  }
  return transport.topicHandlers();
}
