import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cloudEventTypes, type ConformanceSandboxOpened, type DistrictsInternal } from '@umg/contracts';
import { Outbox, Topics } from '@umg/messaging';
import type { Logger } from '@umg/logging';
import type { DistrictsConfig } from '../config';
import { InjectLogger } from '../inject-logger';
import { PushFailure } from '../push/back-office-answer';
import { BackOfficeClient } from '../push/back-office-client';
import { BackOfficeDecisions } from '../push/back-office-decisions';
import { isSecurityFault, SoapFaultFailure } from '../push/soap-answer';
import { PushWorker } from '../push/push-worker';
import type { PushedApplication, PushMessage } from '../push/pushed-application';
import type { DistrictRecord } from '../district/district-record';
import { DistrictError, DistrictErrorCode } from '../district/district-error';
import { DistrictRepository } from '../district/district.repository';
import { DISTRICTS_CONFIG } from '../tokens';
import { initialSandboxChecks } from './sandbox-script';

type ConformanceCheck = DistrictsInternal.components['schemas']['ConformanceCheck'];
export type ConformanceRunView = DistrictsInternal.components['schemas']['ConformanceRun'];

export interface RunRow {
  id: string;
  district_code: string;
  adapter_style: ConformanceRunView['adapterStyle'];
  profile_version: number;
  status: ConformanceRunView['status'];
  passed: boolean;
  checks: ConformanceCheck[];
  actor: string;
  started_at: Date;
  finished_at: Date | null;
  expires_at: Date | null;
  sandbox_application_id: string | null;
}

export function toRunView(row: RunRow): ConformanceRunView {
  return {
    id: Number(row.id),
    districtCode: row.district_code,
    adapterStyle: row.adapter_style,
    profileVersion: row.profile_version,
    status: row.status,
    passed: row.passed,
    checks: row.checks.map((check) => ({ ...check, state: check.state ?? stateOf(check, row.status) })),
    actor: row.actor,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    ...(row.expires_at ? { expiresAt: row.expires_at.toISOString() } : {}),
    ...(row.sandbox_application_id ? { sandboxApplicationId: row.sandbox_application_id } : {}),
  };
}

/** A step saved before steps had states (and a pull run's steps): passed, failed with its run, or pending. */
function stateOf(
  check: ConformanceCheck,
  status: ConformanceRunView['status'],
): NonNullable<ConformanceCheck['state']> {
  if (check.passed) return 'passed';
  return status === 'running' ? 'pending' : 'failed';
}

/** The push suite's steps, in order. */
const pushCheckNames = ['new_application_answered', 'status_change_acknowledged', 'wrong_signature_refused'] as const;

/** A made-up application, recognisable as such by its ids; it never reaches the applications service. */
function syntheticApplication(districtCode: string, serviceNumber: number): PushedApplication {
  const now = new Date().toISOString();
  return {
    applicationId: randomUUID(),
    portalApplicationId: `CONFORMANCE-${randomUUID()}`,
    serviceReferenceNumber: `CONFORMANCE-${Date.now()}`,
    districtCode,
    serviceNumber,
    urgency: 'regular',
    status: 'routed',
    previousStatus: 'received',
    sequence: 2,
    occurredAt: now,
    registrationNumber: null,
    applicant: { identifierType: 'EGN', identifier: '0000000000', name: 'Тестов Заявител' },
    deliveryChannel: 'e_delivery',
    eDeliveryProfileId: 'conformance',
  };
}

/**
 * The conformance suite: scripted exchanges with a push district's back office, through the
 * adapter and profile that production traffic will use; for a pull district, a sandbox
 * application its client must handle through the district API (see sandbox-script.ts). A new application must be answered with
 * a decision that maps to the contract (a registration with its number), a status change must be
 * acknowledged, and a message with wrong credentials (the WS-Security a SOAP profile configures,
 * else the HMAC signature) must be refused. The result is recorded
 * against the profile version it checked.
 */
@Injectable()
export class RunConformanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    private readonly client: BackOfficeClient,
    private readonly decisions: BackOfficeDecisions,
    private readonly worker: PushWorker,
    private readonly outbox: Outbox,
    @Inject(DISTRICTS_CONFIG) private readonly config: DistrictsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /**
   * A push district's run is recorded as `running` before its first exchange and each step is
   * saved as it starts and ends, so the console can follow it (getConformanceRun) while the
   * answer waits for the whole run.
   */
  async run(code: string, actor: string): Promise<ConformanceRunView> {
    const district = await this.districts.get(this.dataSource.manager, code);
    if (district.profile.adapterStyle === 'pull') return this.openSandbox(district, actor);
    const startedAt = new Date();
    // Three exchanges, each bounded by the push timeout: a run still running after that was cut short.
    const expiresAt = new Date(startedAt.getTime() + 3 * this.config.PUSH_TIMEOUT_MS + 60_000);
    const pending = pushCheckNames.map((name) => ({
      name,
      passed: false,
      state: 'pending' as const,
      detail: 'not started',
    }));
    const [inserted] = (await this.dataSource.query(
      `INSERT INTO districts.conformance_run (district_code, adapter_style, profile_version, status, passed, checks, actor, started_at, expires_at)
       VALUES ($1, $2, $3, 'running', false, $4::jsonb, $5, $6, $7) RETURNING *`,
      [
        code,
        district.profile.adapterStyle,
        district.profileVersion,
        JSON.stringify(pending),
        actor,
        startedAt,
        expiresAt,
      ],
    )) as RunRow[];
    const runId = inserted!.id;
    const checks: ConformanceCheck[] = [...pending];
    const save = (index: number, check: ConformanceCheck) => {
      checks[index] = check;
      return this.dataSource.query(
        `UPDATE districts.conformance_run SET checks = $2::jsonb WHERE id = $1 AND status = 'running'`,
        [runId, JSON.stringify(checks)],
      );
    };
    await this.pushChecks(district, save);
    const passed = checks.every((check) => check.passed);
    const [row] = (await this.dataSource.query(
      `UPDATE districts.conformance_run SET status = $2, passed = $3, checks = $4::jsonb, finished_at = now()
       WHERE id = $1 RETURNING *`,
      [runId, passed ? 'passed' : 'failed', passed, JSON.stringify(checks)],
    )) as [RunRow[], number];
    this.logger.info(
      { districtCode: code, passed, checks: checks.map((c) => `${c.name}:${c.passed}`) },
      'conformance run',
    );
    return toRunView(row[0]!);
  }

  async get(code: string, runId: number): Promise<ConformanceRunView> {
    await this.districts.get(this.dataSource.manager, code);
    const [row] = (await this.dataSource.query(
      `SELECT * FROM districts.conformance_run WHERE district_code = $1 AND id = $2`,
      [code, runId],
    )) as RunRow[];
    if (!row)
      throw new DistrictError(DistrictErrorCode.ConformanceRunNotFound, `no conformance run ${runId} of ${code}`);
    return toRunView(row);
  }

  async list(code: string): Promise<ConformanceRunView[]> {
    await this.districts.get(this.dataSource.manager, code);
    const rows = (await this.dataSource.query(
      `SELECT * FROM districts.conformance_run WHERE district_code = $1 ORDER BY id DESC LIMIT 100`,
      [code],
    )) as RunRow[];
    return rows.map(toRunView);
  }

  /**
   * A pull district's run: the sandbox application is asked for in the same transaction as the
   * run is recorded, and the run stays `running` until the client's steps come back (scored by
   * ScoreSandboxStepService) or it expires.
   */
  private async openSandbox(district: DistrictRecord, actor: string): Promise<ConformanceRunView> {
    const serviceNumber = (await this.districts.enabledServices(this.dataSource.manager, district.code))[0] ?? 2079;
    const applicationId = randomUUID();
    const startedAt = new Date();
    const expiresAt = new Date(startedAt.getTime() + this.config.CONFORMANCE_SANDBOX_TIMEOUT_MS);
    const row = await this.dataSource.transaction(async (manager) => {
      const [inserted] = (await manager.query(
        `INSERT INTO districts.conformance_run
           (district_code, adapter_style, profile_version, status, passed, checks, actor, started_at, expires_at, sandbox_application_id)
         VALUES ($1, 'pull', $2, 'running', false, $3::jsonb, $4, $5, $6, $7) RETURNING *`,
        [
          district.code,
          district.profileVersion,
          JSON.stringify(initialSandboxChecks(applicationId)),
          actor,
          startedAt,
          expiresAt,
          applicationId,
        ],
      )) as RunRow[];
      const opened: ConformanceSandboxOpened = {
        runId: Number(inserted!.id),
        applicationId,
        districtCode: district.code,
        serviceNumber,
        openedAt: startedAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
      };
      await this.outbox.enqueue(manager, {
        topic: Topics.conformanceSandboxes,
        key: applicationId,
        type: cloudEventTypes.ConformanceSandboxOpened,
        payload: opened,
      });
      return inserted!;
    });
    this.logger.info({ districtCode: district.code, runId: row.id, applicationId }, 'conformance sandbox opened');
    return toRunView(row);
  }

  private async pushChecks(
    district: DistrictRecord,
    save: (index: number, check: ConformanceCheck) => Promise<unknown>,
  ): Promise<void> {
    const serviceNumber = (await this.districts.enabledServices(this.dataSource.manager, district.code))[0] ?? 2079;
    const application = syntheticApplication(district.code, serviceNumber);
    const message = (kind: PushMessage['kind'], suffix: string): PushMessage => ({
      pushId: `conformance-${application.applicationId}-${suffix}`,
      kind,
      districtCode: district.code,
      application:
        kind === 'application'
          ? application
          : { ...application, status: 'withdrawn', previousStatus: 'registered', sequence: 4 },
      callbackUrl: `${this.worker.callbackBase}/back-office/${district.code}/decisions`,
    });
    const options = { timeoutMs: this.config.PUSH_TIMEOUT_MS };
    await this.check(0, save, async () => {
      const answer = await this.client.push(district.profile, message('application', '1'), options);
      const decision = this.decisions.decisionOf(application.applicationId, district.code, answer);
      if (!decision) return `acknowledged (${answer.backOfficeReference}); the decision will come by callback`;
      return `${decision.decision}${decision.registrationNumber ? ` as ${decision.registrationNumber}` : ''} (${decision.backOfficeReference})`;
    });
    await this.check(1, save, async () => {
      const answer = await this.client.push(district.profile, message('status_change', '2'), options);
      return `acknowledged (${answer.backOfficeReference})`;
    });
    await this.check(2, save, async () => {
      try {
        await this.client.push(district.profile, message('application', '3'), { ...options, tamperCredentials: true });
      } catch (error) {
        if (error instanceof PushFailure && (error.httpStatus === 401 || error.httpStatus === 403)) {
          return `refused with ${error.httpStatus}`;
        }
        // A SOAP office refuses wrong WS-Security credentials with a WS-Security fault.
        if (error instanceof SoapFaultFailure && isSecurityFault(error.fault)) return `refused: ${error.message}`;
        throw error;
      }
      throw new Error('the back office accepted a message with wrong credentials');
    });
  }

  /** One step: saved as running, then as passed or failed with what happened and when. */
  private async check(
    index: number,
    save: (index: number, check: ConformanceCheck) => Promise<unknown>,
    exchange: () => Promise<string>,
  ): Promise<void> {
    const name = pushCheckNames[index]!;
    const startedAt = new Date().toISOString();
    await save(index, { name, passed: false, state: 'running', detail: 'exchanging with the back office', startedAt });
    let outcome: { passed: boolean; detail: string };
    try {
      outcome = { passed: true, detail: await exchange() };
    } catch (error) {
      outcome = { passed: false, detail: error instanceof Error ? error.message : String(error) };
    }
    await save(index, {
      name,
      ...outcome,
      state: outcome.passed ? 'passed' : 'failed',
      startedAt,
      finishedAt: new Date().toISOString(),
    });
  }
}
