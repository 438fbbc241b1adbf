import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { catalogueGaps, catalogueServices, findCatalogueService } from '@umg/catalogue';
import type { DistrictsInternal } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { PublishOfferingsService } from '../offerings/publish-offerings.service';
import { DistrictError, DistrictErrorCode } from '../district/district-error';
import { DistrictRepository } from '../district/district.repository';
import { canMoveServicePhase, isOffered, type ServicePhase } from './service-phase-rules';

export type DistrictServiceView = DistrictsInternal.components['schemas']['DistrictService'];
export type ServicePhaseChangeView = DistrictsInternal.components['schemas']['ServicePhaseChange'];

interface PhaseRow {
  service_number: number;
  phase: ServicePhase;
  phase_changed_at: Date;
}

interface HistoryRow {
  from_phase: string;
  to_phase: ServicePhase;
  actor: string;
  reason: string;
  at: Date;
}

/**
 * A phase per catalogue service in each district (not_started → pilot → live → suspended, and back
 * from suspended), with its history. A service the catalogue cannot support (a placeholder number,
 * no urgency, an unknown term or fee) is never moved to pilot or live. Every change is one
 * transaction with its history, its audit entry and the district's new offerings.
 */
@Injectable()
export class ServiceEnablementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    private readonly offerings: PublishOfferingsService,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async changePhase(
    code: string,
    serviceNumber: number,
    to: ServicePhase,
    actor: string,
    reason: string,
  ): Promise<DistrictServiceView> {
    const service = findCatalogueService(serviceNumber);
    if (!service) {
      throw new DistrictError(DistrictErrorCode.ServiceNotFound, `no service ${serviceNumber} in the catalogue`);
    }
    const gaps = catalogueGaps(service);
    const from = await this.dataSource.transaction(async (manager) => {
      await this.districts.get(manager, code, { lock: true });
      const from = (await this.phaseRow(manager, code, serviceNumber))?.phase ?? 'not_started';
      if (!canMoveServicePhase(from, to)) {
        throw new DistrictError(
          DistrictErrorCode.ServicePhaseChangeNotAllowed,
          `service ${serviceNumber} in ${code} cannot move from ${from} to ${to}`,
        );
      }
      if (isOffered(to) && gaps.length > 0) {
        throw new DistrictError(
          DistrictErrorCode.ServiceNotEnableable,
          `service ${serviceNumber} cannot be offered until the catalogue has: ${gaps.join(', ')}`,
          gaps.map((gap) => ({ field: 'catalogueGaps', code: gap, message: gapText[gap] })),
        );
      }
      await manager.query(
        `INSERT INTO districts.service_enablement (district_code, service_number, phase, phase_changed_at)
         VALUES ($1, $2, $3, now())
         ON CONFLICT (district_code, service_number) DO UPDATE SET phase = $3, phase_changed_at = now()`,
        [code, serviceNumber, to],
      );
      await manager.query(
        `INSERT INTO districts.service_phase_history (district_code, service_number, from_phase, to_phase, actor, reason)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [code, serviceNumber, from, to, actor, reason],
      );
      await this.districts.audit(manager, {
        districtCode: code,
        change: 'service_enablement',
        before: { serviceNumber, phase: from },
        after: { serviceNumber, phase: to },
        actor,
        reason,
      });
      await this.offerings.publishIfChanged(manager, code);
      return from;
    });
    this.logger.info({ districtCode: code, serviceNumber, from, to, actor }, 'service phase changed');
    return this.one(code, serviceNumber);
  }

  /**
   * The on/off switch of the older API, on the phases: on moves a service that is not offered to
   * pilot (or back to live from suspended), off suspends an offered one; already so is no change.
   */
  async setEnabled(
    code: string,
    serviceNumber: number,
    enabled: boolean,
    actor: string,
    reason: string,
  ): Promise<void> {
    const current = (await this.one(code, serviceNumber)).phase;
    if (enabled === isOffered(current)) return;
    await this.changePhase(code, serviceNumber, enabled ? 'pilot' : 'suspended', actor, reason);
  }

  /** Every catalogue service with its phase in the district and what the catalogue lacks for it. */
  async list(code: string): Promise<DistrictServiceView[]> {
    await this.districts.get(this.dataSource.manager, code);
    const rows = (await this.dataSource.query(
      `SELECT service_number, phase, phase_changed_at FROM districts.service_enablement WHERE district_code = $1`,
      [code],
    )) as PhaseRow[];
    const phases = new Map(rows.map((row) => [row.service_number, row]));
    return catalogueServices.map((service) => view(code, service.serviceNumber, phases.get(service.serviceNumber)));
  }

  /** One service in the district with its history, newest first. */
  async one(code: string, serviceNumber: number): Promise<DistrictServiceView> {
    if (!findCatalogueService(serviceNumber)) {
      throw new DistrictError(DistrictErrorCode.ServiceNotFound, `no service ${serviceNumber} in the catalogue`);
    }
    await this.districts.get(this.dataSource.manager, code);
    const row = await this.phaseRow(this.dataSource.manager, code, serviceNumber);
    const history = (await this.dataSource.query(
      `SELECT from_phase, to_phase, actor, reason, at FROM districts.service_phase_history
       WHERE district_code = $1 AND service_number = $2 ORDER BY id DESC LIMIT 200`,
      [code, serviceNumber],
    )) as HistoryRow[];
    return {
      ...view(code, serviceNumber, row),
      history: history.map((entry) => ({
        from: entry.from_phase,
        to: entry.to_phase,
        actor: entry.actor,
        reason: entry.reason,
        at: entry.at.toISOString(),
      })),
    };
  }

  /** The offered services (pilot or live), as the older listing answered. */
  async offered(code: string): Promise<number[]> {
    await this.districts.get(this.dataSource.manager, code);
    return this.districts.enabledServices(this.dataSource.manager, code);
  }

  private async phaseRow(manager: EntityManager, code: string, serviceNumber: number): Promise<PhaseRow | undefined> {
    const [row] = (await manager.query(
      `SELECT service_number, phase, phase_changed_at FROM districts.service_enablement
       WHERE district_code = $1 AND service_number = $2`,
      [code, serviceNumber],
    )) as PhaseRow[];
    return row;
  }
}

const gapText: Record<string, string> = {
  placeholder_service_number: 'the service has no real number in the register of administrative services',
  no_urgency: 'no urgency (term and fee) is known for the service',
  term_unknown: 'the term of an urgency is not known',
  fee_unknown: 'the fee of an urgency is not known (unknown is not free)',
};

function view(code: string, serviceNumber: number, row: PhaseRow | undefined): DistrictServiceView {
  const service = findCatalogueService(serviceNumber)!;
  return {
    districtCode: code,
    serviceNumber,
    nameBg: service.nameBg,
    nameEn: service.nameEn,
    phase: row?.phase ?? 'not_started',
    phaseChangedAt: row ? row.phase_changed_at.toISOString() : null,
    catalogueGaps: catalogueGaps(service),
  };
}
