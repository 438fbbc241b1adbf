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

/** How long a record nobody waits for waits for others to share its transaction. */
export const recordLingerMs = 50;

/**
 * Records exchanges in a transaction of their own (group-committed with the others that arrive
 * together). A failure to record never fails the exchange itself, but it is never silent either:
 * it is logged and counted (`umg_exchange_log_append_failures_total`, alerted on).
 */
export class ExchangeRecorder {
  /** Shutting down: records no longer linger, so none is left behind when the database closes. */
  private closing = false;

  constructor(
    private readonly dataSource: DataSource,
    readonly log: ExchangeLog,
    private readonly logger: Logger,
    private readonly onFailure: () => void = () => undefined,
  ) {}

  /** Appends and waits until the record is committed; false (logged and counted) when it could not be. */
  recordNow(record: RecordedExchange): Promise<boolean> {
    return this.append(record, 0);
  }

  /**
   * For calls whose effect is elsewhere (payment system, e-delivery, back offices): appended right
   * after, without delaying the caller, sharing a transaction with the records of the next
   * `recordLingerMs` (a poll's record is not worth a transaction of its own).
   */
  record(record: RecordedExchange): void {
    void this.append(record, this.closing ? 0 : recordLingerMs);
  }

  /** Before the database closes: writes what lingers, and waits for what is being written. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.log.settle(this.dataSource);
  }

  private async append(record: RecordedExchange, lingerMs: number): Promise<boolean> {
    try {
      await this.log.appendAlone(
        this.dataSource,
        {
          occurredAt: new Date(),
          requestId: currentCorrelation()?.correlationId ?? 'none',
          ...record,
        },
        lingerMs,
      );
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
}
