import { Client } from 'pg';

/**
 * Counts the SQL statements (client round trips) the code under test sends, at the `pg` client:
 * `countStatements()` once in `beforeAll`, `counted(work)` around each step, and
 * `stopCountingStatements()` in `afterAll`.
 */
const statements: string[] = [];
let counting = false;
const originalQuery = Client.prototype.query;

export function countStatements(): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (Client.prototype as any).query = function (this: Client, ...args: unknown[]) {
    if (counting) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      statements.push(String(text).replace(/\s+/g, ' ').trim().slice(0, 90));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (originalQuery as any).apply(this, args);
  };
}

export function stopCountingStatements(): void {
  Client.prototype.query = originalQuery;
}

/** The statements `work` sent (first 90 characters of each), with its result. */
export async function counted<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  statements.length = 0;
  counting = true;
  try {
    const result = await work();
    return { result, statements: [...statements] };
  } finally {
    counting = false;
  }
}
