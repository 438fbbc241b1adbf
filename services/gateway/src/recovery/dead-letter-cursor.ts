import { ProblemException } from '@umg/problem';
import { type ConsumingService, consumingServices } from './recovery.client';

/**
 * Where a list across the services stands in each: the service's own cursor, `done` when it has
 * no more, absent when it starts at its newest. Opaque to the console (base64url JSON).
 */
export type DeadLetterCursor = Partial<Record<ConsumingService, string>>;

export function encodeCursor(cursor: DeadLetterCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string | undefined): DeadLetterCursor {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidCursor();
  const cursor: DeadLetterCursor = {};
  for (const [service, position] of Object.entries(value)) {
    const known = consumingServices.includes(service as ConsumingService);
    if (!known || typeof position !== 'string' || !/^([0-9]{1,18}|done)$/.test(position)) throw invalidCursor();
    cursor[service as ConsumingService] = position;
  }
  return cursor;
}

function invalidCursor(): ProblemException {
  return new ProblemException(400, 'validation_failed', 'The request is not valid', 'the cursor is not one of ours', [
    { field: 'cursor', code: 'pattern', message: 'use the nextCursor of the previous page' },
  ]);
}
