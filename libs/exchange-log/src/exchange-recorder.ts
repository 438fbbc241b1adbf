import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { currentCorrelation, type Logger } from '@umg/logging';
import type { ExchangeLog } from './exchange-log';
import type { ExchangeRecord } from './exchange-record';

export function sha256Hex(body: string | Buffer | Uint8Array | null | undefined): string {
  return createHash('sha256')
    .update(body ?? '')
    .digest('hex');
}

/**
 * Records exchanges whose effect is not in our database (calls to the payment system, e-delivery,
 * district back offices) right after they happen, without delaying the caller; a failure to
 * record is logged loudly rather than failing the exchange itself.
 */
export class ExchangeRecorder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly log: ExchangeLog,
    private readonly logger: Logger,
  ) {}

  record(record: Omit<ExchangeRecord, 'occurredAt' | 'requestId'> & { occurredAt?: Date; requestId?: string }): void {
    this.log
      .appendAlone(this.dataSource, {
        occurredAt: new Date(),
        requestId: currentCorrelation()?.correlationId ?? 'none',
        ...record,
      })
      .catch((error: unknown) => this.logger.error({ err: error }, 'exchange log append failed'));
  }
}
