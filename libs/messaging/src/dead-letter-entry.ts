import type { DeadLetterEntry } from '@umg/contracts';
import { storableText } from './cloud-event-headers';
import type { InboundMessage } from './inbound-message';

/** What lands on a dead-letter topic: the original message and why it was given up. */

export function deadLetterEntry(
  message: InboundMessage,
  consumerGroup: string,
  reasonCode: string,
  reasonMessage: string,
  attempts: number,
): DeadLetterEntry {
  return {
    originalTopic: message.topic,
    originalPartition: message.partition,
    originalOffset: message.offset,
    originalKey: message.key,
    originalHeaders: message.headers,
    originalValueBase64: message.value ? message.value.toString('base64') : '',
    consumerGroup,
    reasonCode,
    reasonMessage: storableText(reasonMessage.slice(0, 2000)),
    attempts,
    failedAt: new Date().toISOString(),
  };
}
