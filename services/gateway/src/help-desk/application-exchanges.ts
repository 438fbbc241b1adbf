import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OperatorApi } from '@umg/contracts';

type CaseExchange = OperatorApi.components['schemas']['CaseExchange'];

/** Enough for any real application's story; a page that lists more helps no one. */
const maxRecords = 500;

interface ExchangeRow {
  seq: string;
  occurred_at: Date;
  party: string;
  direction: 'inbound' | 'outbound';
  operation: string;
  outcome: string;
  detail: string | null;
}

/** The gateway's exchange-log records naming one application (who touched it, how, with what outcome). */
@Injectable()
export class ApplicationExchanges {
  constructor(private readonly dataSource: DataSource) {}

  async of(applicationId: string): Promise<CaseExchange[]> {
    const rows = await this.dataSource.query<ExchangeRow[]>(
      `SELECT seq, occurred_at, party, direction, operation, outcome, detail FROM (
         SELECT seq, occurred_at, party, direction, operation, outcome, detail FROM gateway.exchange_log
          WHERE application_id = $1 ORDER BY seq DESC LIMIT $2) newest
        ORDER BY seq`,
      [applicationId.toLowerCase(), maxRecords],
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      occurredAt: row.occurred_at.toISOString(),
      party: row.party,
      direction: row.direction,
      operation: row.operation,
      outcome: row.outcome,
      detail: row.detail,
    }));
  }
}
