import { Injectable } from '@nestjs/common';
import { bicProblem, bulgarianIbanProblem } from '@umg/catalogue';
import { DataSource } from 'typeorm';
import type { DistrictPhase } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { PublishOfferingsService } from '../offerings/publish-offerings.service';
import { DistrictError, DistrictErrorCode } from '../district/district-error';
import type { DistrictRecord } from '../district/district-record';
import { DistrictRepository } from '../district/district.repository';
import { canMovePhase, phaseNeedsConformance } from '../district/phase-rules';

/**
 * Moves a district along its rollout. Pilot and live need a passing conformance run of the
 * profile as it is now; every move is audited and the new offerings are published with it.
 */
@Injectable()
export class ChangePhaseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    private readonly offerings: PublishOfferingsService,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async change(code: string, to: DistrictPhase, actor: string, reason: string): Promise<DistrictRecord> {
    const district = await this.dataSource.transaction(async (manager) => {
      const district = await this.districts.get(manager, code, { lock: true });
      if (!canMovePhase(district.phase, to)) {
        throw new DistrictError(
          DistrictErrorCode.PhaseChangeNotAllowed,
          `${code} cannot move from ${district.phase} to ${to}`,
        );
      }
      if (phaseNeedsConformance(to) && district.phase === 'onboarding') {
        // A district leaving onboarding takes fees: to its real account, never a made-up one.
        const bankProblem = district.bank.placeholder
          ? 'its bank details are placeholders'
          : (bulgarianIbanProblem(district.bank.iban) ?? bicProblem(district.bank.bic));
        if (bankProblem) {
          throw new DistrictError(
            DistrictErrorCode.BankDetailsRequired,
            `${code} cannot take applications: ${bankProblem}; enter the district's confirmed IBAN, BIC and bank first`,
          );
        }
      }
      if (phaseNeedsConformance(to)) {
        const [latest] = (await manager.query(
          `SELECT passed FROM districts.conformance_run
           WHERE district_code = $1 AND profile_version = $2 AND adapter_style = $3 AND status <> 'running'
           ORDER BY id DESC LIMIT 1`,
          [code, district.profileVersion, district.profile.adapterStyle],
        )) as { passed: boolean }[];
        if (!latest?.passed) {
          throw new DistrictError(
            DistrictErrorCode.ConformanceRequired,
            `${code} has no passing conformance run of profile version ${district.profileVersion}; run one first`,
          );
        }
      }
      await manager.query(
        `UPDATE districts.district
         SET phase = $2, live_since = CASE WHEN $2 = 'live' THEN coalesce(live_since, now()) ELSE live_since END, updated_at = now()
         WHERE code = $1`,
        [code, to],
      );
      await this.districts.audit(manager, {
        districtCode: code,
        change: 'phase',
        before: district.phase,
        after: to,
        actor,
        reason,
      });
      await this.offerings.publishIfChanged(manager, code);
      return this.districts.get(manager, code);
    });
    this.logger.info({ districtCode: code, phase: to, actor }, 'district phase changed');
    return district;
  }
}
