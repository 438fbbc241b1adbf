import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import type { MessageHeaders } from '../cloud-event-headers';
import type { InboundMessage } from '../inbound-message';

/**
 * What a Kafka handler gets with `@Ctx()`: the consumed message's position and headers, and the
 * manager of the consumer's transaction. Everything the handler writes goes through `manager`, so
 * it commits with the message's inbox row (and the others of its chunk) or not at all.
 */
export class KafkaEventContext extends BaseRpcContext<[InboundMessage, EntityManager]> {
  get message(): InboundMessage {
    return this.args[0];
  }

  get manager(): EntityManager {
    return this.args[1];
  }

  get headers(): MessageHeaders {
    return this.message.headers;
  }

  get topic(): string {
    return this.message.topic;
  }

  get partition(): number {
    return this.message.partition;
  }

  get offset(): string {
    return this.message.offset;
  }
}
