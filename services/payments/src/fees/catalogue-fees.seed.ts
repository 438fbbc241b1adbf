import { randomUUID } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { catalogueServices } from '@umg/catalogue';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { ALL_DISTRICTS } from './fee-schedule';

/** A catalogue fee for all districts: what the reference data says a service costs at an urgency. */
export interface CatalogueFee {
  serviceNumber: number;
  urgency: string;
  amountMinor: number;
  currency: 'EUR' | 'BGN';
}

export function catalogueFees(): CatalogueFee[] {
  return catalogueServices.flatMap((service) =>
    service.urgencies
      .filter((urgency) => urgency.fee !== null && urgency.fee.amountMinor > 0)
      .map((urgency) => ({
        serviceNumber: service.serviceNumber,
        urgency: urgency.urgency,
        amountMinor: urgency.fee!.amountMinor,
        currency: urgency.fee!.currency,
      })),
  );
}

/**
 * At start-up, the catalogue's fees reach the schedule without a migration per change: a fee the
 * schedule lacks, or one the catalogue now states differently, becomes a catalogue change in
 * force from now. A fee an operator ever set (scheduled, in force or past) is the operators' from
 * then on: the catalogue never overrides it. A fee the catalogue no longer knows stays as it is.
 */
@Injectable()
export class CatalogueFeesSeed implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const added = await this.dataSource.transaction(async (manager) => {
      // One instance seeds at a time.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('payments.catalogue-fees'))`);
      const current = (await manager.query(
        `SELECT DISTINCT ON (service_number, urgency) service_number, urgency, origin, amount_minor, currency
           FROM payments.fee_change
          WHERE district_code = $1 AND cancelled_at IS NULL
          ORDER BY service_number, urgency, (origin = 'operator') DESC, effective_from DESC, created_at DESC`,
        [ALL_DISTRICTS],
      )) as { service_number: number; urgency: string; origin: string; amount_minor: number; currency: string }[];
      const byKey = new Map(current.map((row) => [`${row.service_number}/${row.urgency}`, row]));
      let count = 0;
      for (const fee of catalogueFees()) {
        const known = byKey.get(`${fee.serviceNumber}/${fee.urgency}`);
        if (known?.origin === 'operator') continue;
        if (known && known.amount_minor === fee.amountMinor && known.currency === fee.currency) continue;
        await manager.query(
          `INSERT INTO payments.fee_change
             (id, service_number, urgency, district_code, amount_minor, currency, effective_from, origin, changed_by, reason)
           VALUES ($1, $2, $3, $4, $5, $6, now(), 'catalogue', 'catalogue', $7)`,
          [
            randomUUID(),
            fee.serviceNumber,
            fee.urgency,
            ALL_DISTRICTS,
            fee.amountMinor,
            fee.currency,
            known ? 'catalogue fee changed' : 'catalogue fee',
          ],
        );
        count += 1;
      }
      return count;
    });
    if (added > 0) this.logger.info({ added }, 'catalogue fees added to the fee schedule');
  }
}
