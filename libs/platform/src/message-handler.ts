import type { EntityManager } from 'typeorm';
import type { InboundMessage } from '@umg/messaging';

/** A service's Kafka entry point for one topic: thin, it parses and calls a use case. */
export interface MessageHandlerProvider {
  handle(message: InboundMessage, manager: EntityManager): Promise<void>;
}
