import { Injectable } from '@nestjs/common';
import { districtTile } from '@umg/catalogue';
import type { OperatorApi } from '@umg/contracts';
import { ProblemException } from '@umg/problem';
import { type ApplicationStatistics, ApplicationsClient } from '../applications/applications.client';
import { RecentValue } from '../applications/recent-value';
import type { OperatorPrincipal } from '../operators/operator-principal';
import {
  type ConformanceRun,
  type Delivery,
  type District,
  DistrictsClient,
  type PhaseChange,
  type ProfileChange,
  type ServiceEnablement,
} from './districts.client';

type BoardDistrict = OperatorApi.components['schemas']['BoardDistrict'];
type DistrictOverview = OperatorApi.components['schemas']['DistrictOverview'];

/**
 * What the console shows of the rollout, and the operator actions on it. The districts service
 * owns the rules and the audit trail; here the signed-in operator is named as the actor and a
 * reason is required before anything is asked of it.
 */
@Injectable()
export class RolloutService {
  /** The default figures (every console's event stream and district pages), shared for 5 s. */
  private readonly cityFigures: RecentValue<ApplicationStatistics>;

  constructor(
    private readonly districts: DistrictsClient,
    private readonly applications: ApplicationsClient,
  ) {
    this.cityFigures = new RecentValue(() => applications.statistics(), 5_000);
  }

  async board(): Promise<BoardDistrict[]> {
    const list = await this.districts.listDistricts();
    const health = await Promise.all(list.map((district) => this.districts.adapterHealth(district.code)));
    return list.map((district, index) => ({
      code: district.code,
      no: district.no,
      nameBg: district.nameBg,
      nameEn: district.nameEn,
      row: districtTile(district.no)?.row ?? 0,
      col: districtTile(district.no)?.col ?? 0,
      phase: district.phase,
      adapterStyle: health[index]!.adapterStyle,
      circuit: health[index]!.circuit,
      backlog: health[index]!.backlog,
      parked: health[index]!.parked,
    }));
  }

  async overview(districtCode: string): Promise<DistrictOverview> {
    const district = await this.districts.getDistrict(districtCode);
    const [adapterHealth, services, audit, conformanceRuns, parkedDeliveries, statistics] = await Promise.all([
      this.districts.adapterHealth(districtCode),
      this.districts.services(districtCode),
      this.districts.audit(districtCode),
      this.districts.conformanceRuns(districtCode),
      this.districts.parkedDeliveries(districtCode),
      // The applications service being down must not hide the rollout controls: the figures are left out.
      this.cityFigures.get().catch(() => null),
    ]);
    return {
      district,
      adapterHealth,
      enabledServices: services.filter((service) => service.enabled),
      audit,
      conformanceRuns,
      parkedDeliveries,
      statistics: statistics?.districts.find((figures) => figures.districtCode === districtCode) ?? null,
    };
  }

  /** City-wide figures: volumes and latencies per hour, busiest services, overdue work per district. */
  statistics(query: Record<string, unknown>): Promise<ApplicationStatistics> {
    return Object.keys(query).length === 0 ? this.cityFigures.get() : this.applications.statistics(query);
  }

  /** Pausing is the operator's emergency brake: any phase → suspended. */
  suspend(operator: OperatorPrincipal, districtCode: string, body: unknown): Promise<District> {
    return this.districts.changePhase(districtCode, operator, {
      phase: 'suspended',
      reason: reasonOf(actionBody(body, ['reason'])),
    });
  }

  changePhase(operator: OperatorPrincipal, districtCode: string, body: unknown): Promise<District> {
    const phase = actionBody(body, ['phase', 'reason']).phase;
    if (typeof phase !== 'string') {
      throw new ProblemException(400, 'phase_required', 'Name the phase to move the district to');
    }
    return this.districts.changePhase(districtCode, operator, {
      phase: phase as PhaseChange['phase'],
      reason: reasonOf(body),
    });
  }

  changePayee(operator: OperatorPrincipal, districtCode: string, body: unknown): Promise<District> {
    // Only the payee's fields reach the registry, which checks them (IBAN mod-97, BIC) and audits.
    const change = actionBody(body, ['bank', 'paymentSystemClient', 'reason']);
    if (change.bank === undefined) throw new ProblemException(400, 'bank_required', 'Give the district’s bank details');
    return this.districts.changePayee(districtCode, operator, {
      ...(change as OperatorApi.components['schemas']['PayeeChange']),
      reason: reasonOf(change),
    });
  }

  /** The registry checks every field of the profile (zod, endpoint policy, secret names) and audits it. */
  changeProfile(operator: OperatorPrincipal, districtCode: string, body: unknown): Promise<District> {
    const change = actionBody(body, profileFields);
    return this.districts.changeProfile(districtCode, operator, {
      ...(change as ProfileChange),
      reason: reasonOf(change),
    });
  }

  setServiceEnablement(
    operator: OperatorPrincipal,
    districtCode: string,
    serviceNumber: number,
    body: unknown,
  ): Promise<ServiceEnablement> {
    const change = actionBody(body, ['enabled', 'reason']);
    if (typeof change.enabled !== 'boolean') {
      throw new ProblemException(
        400,
        'validation_failed',
        'The request is not valid',
        'enabled must be true or false',
        [{ field: 'enabled', code: 'invalid_type', message: 'must be boolean' }],
      );
    }
    return this.districts.setServiceEnablement(districtCode, serviceNumber, operator, {
      enabled: change.enabled,
      reason: reasonOf(change),
    });
  }

  startConformanceRun(operator: OperatorPrincipal, districtCode: string): Promise<ConformanceRun> {
    return this.districts.startConformanceRun(districtCode, operator);
  }

  replay(operator: OperatorPrincipal, deliveryId: number, body: unknown): Promise<Delivery> {
    return this.districts.replayDelivery(deliveryId, operator, reasonOf(actionBody(body, ['reason'])));
  }
}

/** The fields of a profile change (the contract's ProfileChange). */
const profileFields = [
  'adapterStyle',
  'endpoint',
  'credentialsRef',
  'mapping',
  'bank',
  'paymentSystemClient',
  'reason',
];

/**
 * An action's body as the contract has it: an object with no fields but the named ones (the
 * bad-input run found a suspension with an unknown field carried out).
 */
function actionBody(body: unknown, fields: string[]): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProblemException(400, 'validation_failed', 'The request is not valid', 'the body must be a JSON object', [
      { field: '', code: 'invalid_type', message: 'must be object' },
    ]);
  }
  const unknown = Object.keys(body).filter((name) => !fields.includes(name));
  if (unknown.length > 0) {
    throw new ProblemException(
      400,
      'validation_failed',
      'The request is not valid',
      `unknown field(s): ${unknown.join(', ').slice(0, 200)}`,
      unknown.map((field) => ({ field, code: 'unknown_field', message: 'must NOT have additional properties' })),
    );
  }
  return body as Record<string, unknown>;
}

/** Every operator action says why; the reason goes into the district's audit trail. */
function reasonOf(body: unknown): string {
  const reason = (body as { reason?: unknown } | null)?.reason;
  if (typeof reason !== 'string' || reason.trim().length < 3) {
    throw new ProblemException(400, 'reason_required', 'Say why (a reason of at least 3 characters)');
  }
  return reason.trim();
}
