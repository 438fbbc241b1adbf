import { Injectable } from '@nestjs/common';
import { districtTile } from '@umg/catalogue';
import type { OperatorApi } from '@umg/contracts';
import { contractInput } from '@umg/platform';
import { ProblemException } from '@umg/problem';
import { type ApplicationStatistics, ApplicationsClient } from '../applications/applications.client';
import { RecentValue } from '../applications/recent-value';
import type { OperatorPrincipal } from '../operators/operator-principal';
import {
  type ConformanceRun,
  type Push,
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
    const [adapterHealth, services, audit, conformanceRuns, parkedPushes, statistics] = await Promise.all([
      this.districts.adapterHealth(districtCode),
      this.districts.services(districtCode),
      this.districts.audit(districtCode),
      this.districts.conformanceRuns(districtCode),
      this.districts.parkedPushes(districtCode),
      // The applications service being down must not hide the rollout controls: the figures are left out.
      this.cityFigures.get().catch(() => null),
    ]);
    return {
      district,
      adapterHealth,
      enabledServices: services.filter((service) => service.enabled),
      audit,
      conformanceRuns,
      parkedPushes,
      statistics: statistics?.districts.find((figures) => figures.districtCode === districtCode) ?? null,
    };
  }

  /** City-wide figures: volumes and latencies per hour, busiest services, overdue work per district. */
  statistics(query: StatisticsQuery): Promise<ApplicationStatistics> {
    const usual =
      query.atRiskWorkingDays === defaultStatistics.atRiskWorkingDays && query.hours === defaultStatistics.hours;
    return usual ? this.cityFigures.get() : this.applications.statistics({ ...query });
  }

  /** The figures with the contract's defaults, as every console's event stream shows them. */
  cityStatistics(): Promise<ApplicationStatistics> {
    return this.cityFigures.get();
  }

  /** Pausing is the operator's emergency brake: any phase → suspended. */
  suspend(operator: OperatorPrincipal, districtCode: string, body: unknown): Promise<District> {
    const reason = reasonOf(body);
    contractInput('operator-api.suspendDistrict', 'body', body);
    return this.districts.changePhase(districtCode, operator, { phase: 'suspended', reason });
  }

  changePhase(operator: OperatorPrincipal, districtCode: string, body: unknown): Promise<District> {
    if (typeof (body as { phase?: unknown } | null)?.phase !== 'string') {
      throw new ProblemException(400, 'phase_required', 'Name the phase to move the district to');
    }
    const reason = reasonOf(body);
    const change = contractInput<PhaseChange>('operator-api.changeDistrictPhase', 'body', body);
    return this.districts.changePhase(districtCode, operator, { phase: change.phase, reason });
  }

  changePayee(operator: OperatorPrincipal, districtCode: string, body: unknown): Promise<District> {
    if ((body as { bank?: unknown } | null)?.bank === undefined) {
      throw new ProblemException(400, 'bank_required', 'Give the district’s bank details');
    }
    const reason = reasonOf(body);
    // The registry checks what the schema cannot (IBAN mod-97, BIC) and audits.
    const change = contractInput<PayeeChange>('operator-api.changeDistrictPayee', 'body', body);
    return this.districts.changePayee(districtCode, operator, { ...change, reason });
  }

  /** Checked against the contract here; the registry checks what it cannot (endpoint policy, secret names) and audits. */
  changeProfile(operator: OperatorPrincipal, districtCode: string, body: unknown): Promise<District> {
    const reason = reasonOf(body);
    const change = contractInput<ProfileChange>('operator-api.changeDistrictProfile', 'body', body);
    return this.districts.changeProfile(districtCode, operator, { ...change, reason });
  }

  setServiceEnablement(
    operator: OperatorPrincipal,
    districtCode: string,
    serviceNumber: number,
    body: unknown,
  ): Promise<ServiceEnablement> {
    const reason = reasonOf(body);
    const change = contractInput<{ enabled: boolean }>('operator-api.setServiceEnablement', 'body', body);
    return this.districts.setServiceEnablement(districtCode, serviceNumber, operator, {
      enabled: change.enabled,
      reason,
    });
  }

  startConformanceRun(operator: OperatorPrincipal, districtCode: string): Promise<ConformanceRun> {
    return this.districts.startConformanceRun(districtCode, operator);
  }

  replay(operator: OperatorPrincipal, pushId: number, body: unknown): Promise<Push> {
    const reason = reasonOf(body);
    contractInput('operator-api.replayPush', 'body', body);
    return this.districts.replayPush(pushId, operator, reason);
  }
}

/** getCityStatistics' query as the contract checked it, its defaults filled in. */
export interface StatisticsQuery {
  atRiskWorkingDays: number;
  hours: number;
}

/** The contract's defaults of getCityStatistics: the figures every console shows, computed once for all. */
const defaultStatistics: StatisticsQuery = { atRiskWorkingDays: 2, hours: 24 };

type PayeeChange = OperatorApi.components['schemas']['PayeeChange'];

/**
 * Every operator action says why; the reason goes into the district's audit trail. A missing
 * reason (like a missing phase or bank) is named by its own code the contract lists, before the
 * body is checked against the contract (an unknown field, a wrong type: 400 validation_failed).
 */
function reasonOf(body: unknown): string {
  const reason = (body as { reason?: unknown } | null)?.reason;
  if (typeof reason !== 'string' || reason.trim().length < 3) {
    throw new ProblemException(400, 'reason_required', 'Say why (a reason of at least 3 characters)');
  }
  return reason.trim();
}
