import type { EntityManager } from 'typeorm';
import type { InboundMessage } from '@umg/messaging';

/** A service's Kafka entry point for one topic: thin, it parses and calls a use case. */
export interface MessageHandlerProvider {
  handle(message: InboundMessage, manager: EntityManager): Promise<void>;
  /**
   * Whether the message can concern this handler at all, from its headers only (`ce_type`, and the
   * status in `ce_umgstatus`: `message.announcedStatus`). A message not accepted is skipped before
   * any database work: no transaction, no inbox row. Say no only to what `handle` provably ignores;
   * a message without the status header (an older producer), or of a type `handle` would refuse as
   * poison, must be accepted. Absent: every message is handled.
   */
  accepts?(message: InboundMessage): boolean;
}
