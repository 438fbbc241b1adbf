/**
 * True for failures that say the database is unreachable or restarting, not that our statement
 * was wrong: work hitting these is retried indefinitely rather than dead-lettered.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') {
    const message = error instanceof Error ? error.message : '';
    return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(message);
  }
  return (
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin shutdown
    code === '57P02' || // crash shutdown
    code === '57P03' || // cannot connect now
    code === '53300' || // too many connections
    code === '40001' || // serialization failure: safe to retry
    code === '40P01' || // deadlock detected: safe to retry
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === 'EPIPE'
  );
}
