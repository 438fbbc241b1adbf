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

export type RecordedExchange = Omit<ExchangeRecord, 'occurredAt' | 'requestId'> & {
  occurredAt?: Date;
  requestId?: string;
};

/**
 * Records exchanges in a transaction of their own (group-committed with the others that arrive
 * together). A failure to record never fails the exchange itself, but it is never silent either:
 * it is logged and counted (`umg_exchange_log_append_failures_total`, alerted on).
 */
export class ExchangeRecorder {
  constructor(
    private readonly dataSource: DataSource,
    readonly log: ExchangeLog,
    private readonly logger: Logger,
    private readonly onFailure: () => void = () => undefined,
  ) {}

  /** Appends and waits until the record is committed; false (logged and counted) when it could not be. */
  async recordNow(record: RecordedExchange): Promise<boolean> {
    try {
      await this.log.appendAlone(this.dataSource, {
        occurredAt: new Date(),
        requestId: currentCorrelation()?.correlationId ?? 'none',
        ...record,
      });
      return true;
    } catch (error) {
      this.onFailure();
      this.logger.error(
        { err: error, operation: record.operation, party: record.party, outcome: record.outcome },
        'exchange log append failed',
      );
      return false;
    }
  }

  /** For calls whose effect is elsewhere (payment system, e-delivery, back offices): appended right after, without delaying the caller. */
  record(record: RecordedExchange): void {
    void this.recordNow(record);
  }
}
