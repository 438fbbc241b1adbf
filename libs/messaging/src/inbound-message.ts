import { exceedsJsonStructures, maxJsonDepth, maxJsonMembers, maxJsonStructures } from '@umg/contracts';
import { type MessageHeaders, statusExtension } from './cloud-event-headers';
import { maxMessageBytes } from './gateway-topics';
import { PoisonMessageError } from './poison-message.error';

/** A consumed Kafka message as handlers see it. */
export class InboundMessage {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    readonly key: string | null,
    readonly headers: MessageHeaders,
    readonly value: Buffer | null,
  ) {}

  /** The CloudEvents id, or the message's position when a producer sent none. */
  get id(): string {
    return this.headers.ce_id ?? `${this.topic}/${this.partition}/${this.offset}`;
  }

  get type(): string | undefined {
    return this.headers.ce_type;
  }

  /**
   * The status the producer announced in the `umgstatus` extension header, undefined when it sent
   * none (an older producer): a consumer must then treat the message as relevant.
   */
  get announcedStatus(): string | undefined {
    return this.headers[`ce_${statusExtension}`];
  }

  json(): unknown {
    if (!this.value || this.value.length === 0) {
      throw new PoisonMessageError('empty_message', 'the message has no value');
    }
    // Checked before parsing: the topic's own limit, so a producer that slipped past the broker's
    // limit (or a topic created by hand without one) cannot make a consumer parse an unbounded value.
    const limit = maxMessageBytes(this.topic);
    if (this.value.length > limit) {
      throw new PoisonMessageError('message_too_large', `the message value is larger than ${limit} bytes`);
    }
    if (exceedsJsonStructures(this.value)) {
      throw new PoisonMessageError(
        'message_too_complex',
        `the message value holds over ${maxJsonStructures} objects or arrays or over ${maxJsonMembers} members, or nests deeper than ${maxJsonDepth}`,
      );
    }
    try {
      return JSON.parse(this.value.toString('utf8'));
    } catch {
      throw new PoisonMessageError('malformed_json', 'the message value is not valid JSON');
    }
  }
}
