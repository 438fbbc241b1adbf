import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { backoffDelay, PeriodicWorker } from '@umg/messaging';
import { isTransientDatabaseError, WorkNotifications } from '@umg/persistence';
import type { DistrictsConfig } from '../config';
import { InjectLogger } from '../inject-logger';
import { DistrictRepository } from '../district/district.repository';
import { DISTRICTS_CONFIG } from '../tokens';
import { type BackOfficeAnswer, PushFailure } from './back-office-answer';
import { BackOfficeClient } from './back-office-client';
import { BackOfficeDecisions } from './back-office-decisions';
import { AnsweredDocuments, type CheckedDocument } from './answered-documents';
import { DistrictCircuits, isOpenCircuit } from './district-circuits';
import type { PushKind, PushedApplication, PushedDeadlineAlert, PushMessage } from './pushed-application';

interface PushRow {
  id: string;
  district_code: string;
  application_id: string;
  kind: PushKind;
  payload: PushedApplication | PushedDeadlineAlert;
  attempts: number;
  next_attempt_at: Date;
  /** The lease this worker holds, exactly as stored (text keeps the microseconds a Date would drop). */
  lease_until: string;
}

/** NOTIFYed by whatever makes a push due now (queueing, an operator's replay). */
export const pushQueueChannel = 'districts_push_due';

/**
 * While pushes wake the worker, how often it still looks for due ones: a safety net, and the most
 * a push made due by a writer that does not NOTIFY (e.g. a retry of a parked push) waits.
 */
const safetyNetMs = 5_000;

type Outcome =
  | { kind: 'answered'; answer: BackOfficeAnswer; document?: CheckedDocument }
  | { kind: 'failed'; error: PushFailure }
  | { kind: 'circuit_open' };

/**
 * Works the per-district outgoing queues (the bulkheads). Each district's queue is worked by at
 * most one exchange at a time, in order; a failing head waits for its retry (backoff with
 * jitter) and holds back only its own district. A district whose circuit is open is skipped until
 * the breaker lets a probe through. What keeps failing, or what the back office refuses, is
 * parked for an operator — never dropped.
 */
@Injectable()
export class PushWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly circuits: DistrictCircuits;
  private readonly busy = new Map<string, Promise<void>>();
  private readonly worker: PeriodicWorker;
  private readonly notifications: WorkNotifications;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    private readonly client: BackOfficeClient,
    private readonly decisions: BackOfficeDecisions,
    private readonly documents: AnsweredDocuments,
    @Inject(DISTRICTS_CONFIG) private readonly config: DistrictsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.circuits = new DistrictCircuits({
      resetTimeoutMs: config.PUSH_CIRCUIT_RESET_MS,
      volumeThreshold: config.PUSH_CIRCUIT_VOLUME_THRESHOLD,
    });
    this.notifications = new WorkNotifications({
      databaseUrl: config.DATABASE_URL,
      channels: [pushQueueChannel],
      applicationName: 'districts-push-wakeups',
      onWork: () => this.worker.wake(),
      onError: (error) => logger.warn({ err: error }, 'push worker LISTEN connection lost; polling until it is back'),
    });
    this.worker = new PeriodicWorker({ name: 'push worker', intervalMs: () => this.pollMs() }, logger, () =>
      this.tick(),
    );
  }

  onApplicationBootstrap(): void {
    this.notifications.start();
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.notifications.stop();
    await this.worker.stop();
    await Promise.allSettled(this.busy.values());
    this.circuits.shutdown();
  }

  /** The base URL back offices answer to asynchronously: the callback listener's. */
  get callbackBase(): string {
    return this.config.DISTRICTS_PUBLIC_URL ?? `http://${this.config.HOST}:${this.config.DISTRICTS_CALLBACK_PORT}`;
  }

  private pollMs(): number {
    return this.notifications.listening ? safetyNetMs : this.config.PUSH_POLL_INTERVAL_MS;
  }

  /**
   * Starts a drain for every district with a due push; answers how long to wait: the poll
   * interval while a due district cannot start (circuit open, a lease held elsewhere), else until
   * the next push falls due or the safety net. A drain that pushed something wakes the worker when
   * it ends, for what was queued meanwhile.
   */
  private async tick(): Promise<number | void> {
    if (this.stopping) return;
    try {
      const districts = (await this.dataSource.query(
        `SELECT district_code,
                extract(epoch FROM min(greatest(next_attempt_at, coalesce(lease_until, next_attempt_at))) - now()) * 1000 AS due_in_ms
           FROM districts.outgoing_push WHERE state = 'pending' GROUP BY district_code`,
      )) as { district_code: string; due_in_ms: number }[];
      let pauseMs = this.pollMs();
      for (const { district_code: code, due_in_ms: dueInMs } of districts) {
        if (Number(dueInMs) > 0) {
          pauseMs = Math.min(pauseMs, Math.ceil(Number(dueInMs)));
          continue;
        }
        if (this.busy.has(code)) continue;
        if (!this.circuits.allows(code)) {
          pauseMs = Math.min(pauseMs, this.config.PUSH_POLL_INTERVAL_MS);
          continue;
        }
        const work = this.drain(code)
          .then((pushed) => {
            if (pushed > 0) this.worker.wake();
          })
          .catch((error: unknown) =>
            this.logger.warn({ err: error, districtCode: code }, 'district queue stopped; will resume'),
          )
          .finally(() => this.busy.delete(code));
        this.busy.set(code, work);
      }
      return Math.max(1, pauseMs);
    } catch (error) {
      if (!isTransientDatabaseError(error)) this.logger.error({ err: error }, 'push worker tick failed');
      return this.config.PUSH_POLL_INTERVAL_MS;
    }
  }

  /** Pushes the district's queue head after head while they succeed. */
  private async drain(districtCode: string): Promise<number> {
    let pushed = 0;
    while (!this.stopping) {
      const push = await this.claimHead(districtCode);
      if (!push) return pushed;
      pushed += 1;
      const started = Date.now();
      const outcome = await this.attempt(push);
      await this.record(push, outcome, Date.now() - started);
      if (outcome.kind !== 'answered' && !(outcome.kind === 'failed' && outcome.error.permanent)) return pushed;
    }
    return pushed;
  }

  /** The oldest pending push of the district, if it is due and no other instance holds it. */
  private async claimHead(districtCode: string): Promise<PushRow | undefined> {
    const [claimed] = (await this.dataSource.query(
      `UPDATE districts.outgoing_push SET lease_until = now() + make_interval(secs => $2)
       WHERE id = (SELECT id FROM districts.outgoing_push WHERE district_code = $1 AND state = 'pending' ORDER BY id LIMIT 1)
         AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
       RETURNING id, district_code, application_id, kind, payload, attempts, next_attempt_at, lease_until::text`,
      [districtCode, Math.ceil((this.config.PUSH_TIMEOUT_MS * 3) / 1000)],
    )) as [PushRow[], number];
    return claimed[0];
  }

  private async attempt(push: PushRow): Promise<Outcome> {
    try {
      const district = await this.districts.get(this.dataSource.manager, push.district_code);
      const message: PushMessage = {
        pushId: push.id,
        kind: push.kind,
        districtCode: push.district_code,
        application: push.payload,
        callbackUrl: `${this.callbackBase}/back-office/${push.district_code}/decisions`,
      };
      return await this.circuits.run(push.district_code, async () => {
        const answer = await this.client.push(district.profile, message, {
          timeoutMs: this.config.PUSH_TIMEOUT_MS,
        });
        // An answer that maps to no valid decision is the back office's fault: checked here, it parks.
        this.decisions.decisionOf(push.application_id, push.district_code, answer);
        // A result in the answer is taken and checked now (fetched when it is a reference), before anything is recorded.
        const document = answer.result ? await this.documents.obtain(answer.result) : undefined;
        return { kind: 'answered' as const, answer, ...(document ? { document } : {}) };
      });
    } catch (error) {
      if (isOpenCircuit(error)) return { kind: 'circuit_open' };
      const failure = error instanceof PushFailure ? error : new PushFailure(String(error), false);
      return { kind: 'failed', error: failure };
    }
  }

  private async record(push: PushRow, outcome: Outcome, durationMs: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Still ours? A worker that stalled past its lease (another instance has taken the push
      // over since) must not record a second outcome or publish a second decision.
      const [held] = (await manager.query(
        `SELECT 1 FROM districts.outgoing_push WHERE id = $1 AND lease_until = $2::timestamptz FOR UPDATE`,
        [push.id, push.lease_until],
      )) as unknown[];
      if (!held) {
        this.logger.warn({ pushId: push.id }, 'lease lost before the outcome was recorded; left to its new holder');
        return;
      }
      if (outcome.kind === 'circuit_open') {
        // Not an attempt: wait for the breaker's probe.
        await manager.query(
          `UPDATE districts.outgoing_push SET lease_until = NULL, next_attempt_at = now() + make_interval(secs => $2) WHERE id = $1`,
          [push.id, this.config.PUSH_CIRCUIT_RESET_MS / 1000],
        );
        return;
      }
      const attempts = push.attempts + 1;
      if (outcome.kind === 'answered') {
        await manager.query(
          `UPDATE districts.outgoing_push
           SET state = 'answered', attempts = $2, answered_at = now(), lease_until = NULL, last_error = NULL, back_office_reference = $3
           WHERE id = $1`,
          [push.id, attempts, outcome.answer.backOfficeReference],
        );
        const decision = this.decisions.decisionOf(push.application_id, push.district_code, outcome.answer);
        if (decision) await this.decisions.publish(manager, decision);
        if (outcome.document) {
          // The document and the decision naming it commit together: never one without the other.
          const documentId = await this.documents.store(
            manager,
            push.district_code,
            push.application_id,
            outcome.answer.backOfficeReference,
            outcome.document,
          );
          await this.decisions.publish(
            manager,
            this.decisions.resultDecisionOf(
              push.application_id,
              push.district_code,
              outcome.answer,
              outcome.document,
              documentId,
            ),
          );
        }
      } else {
        const park = outcome.error.permanent || attempts >= this.config.PUSH_MAX_ATTEMPTS;
        const delayMs =
          backoffDelay(attempts, this.config.PUSH_BACKOFF_BASE_MS, this.config.PUSH_BACKOFF_MAX_MS) +
          Math.floor(this.config.PUSH_BACKOFF_BASE_MS / 4);
        await manager.query(
          `UPDATE districts.outgoing_push
           SET state = $2, attempts = $3, last_error = $4, lease_until = NULL,
               next_attempt_at = now() + make_interval(secs => $5)
           WHERE id = $1`,
          [push.id, park ? 'parked' : 'pending', attempts, outcome.error.message.slice(0, 2000), delayMs / 1000],
        );
        if (park) {
          this.logger.warn(
            { pushId: push.id, districtCode: push.district_code, attempts, reason: outcome.error.message },
            'push parked',
          );
        }
      }
      await manager.query(
        `INSERT INTO districts.push_attempt (push_id, district_code, outcome, http_status, duration_ms, error)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          push.id,
          push.district_code,
          outcome.kind === 'answered' ? 'answered' : outcome.error.permanent ? 'refused' : 'failed',
          outcome.kind === 'failed' ? (outcome.error.httpStatus ?? null) : null,
          durationMs,
          outcome.kind === 'failed' ? outcome.error.message.slice(0, 2000) : null,
        ],
      );
    });
  }
}
