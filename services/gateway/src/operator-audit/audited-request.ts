import { maskIdentifier } from '../help-desk/mask-identifier';

/** Keys whose values never enter the audit, at any depth (secrets are set, never shown again). */
const secretKey = /secret|password|token|credential|private|key$/i;
const MAX_TEXT = 500;
const MAX_ITEMS = 50;
const MAX_DEPTH = 6;

/**
 * What an operator asked for, as the audit keeps it: JSON only, secrets replaced by "[redacted]",
 * long texts and lists cut, so the audit shows the action without holding what it protects.
 */
export function auditedRequest(body: unknown, depth = 0): unknown {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return body.length > MAX_TEXT ? `${body.slice(0, MAX_TEXT)}…` : body;
  if (typeof body === 'number' || typeof body === 'boolean') return body;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(body)) return body.slice(0, MAX_ITEMS).map((item) => auditedRequest(item, depth + 1));
  if (typeof body === 'object' && Object.getPrototypeOf(body) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(body as Record<string, unknown>)
        .slice(0, MAX_ITEMS)
        .map(([key, value]) => [
          key,
          secretKey.test(key)
            ? '[redacted]'
            : // A personal identifier (e.g. who collected a result at the desk) is masked as everywhere.
              key === 'identifier' && typeof value === 'string'
              ? maskIdentifier(value)
              : auditedRequest(value, depth + 1),
        ]),
    );
  }
  // A file or a stream (e.g. a result document uploaded on a district's behalf): only that it was one.
  return '[binary]';
}
