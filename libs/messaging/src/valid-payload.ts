import type { SchemaName, SchemaValidator } from '@umg/contracts';
import type { InboundMessage } from './inbound-message';
import { PoisonMessageError } from './poison-message.error';

/**
 * The message's payload when it is the expected message type and valid against its contract
 * schema; otherwise a poison message (dead-lettered with the reason, never retried).
 */
export function validPayload<T>(
  message: InboundMessage,
  validator: SchemaValidator,
  expected: { type: string; schema: SchemaName },
): T {
  if (message.type !== expected.type) {
    throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
  }
  const result = validator.validate<T>(expected.schema, message.json());
  if (!result.ok) throw new PoisonMessageError('invalid_payload', JSON.stringify(result.errors).slice(0, 1000));
  return result.value;
}
