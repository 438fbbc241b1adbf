import { createHash } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { PeriodicWorker } from '@umg/messaging';
import { SERVICE_LOGGER } from '@umg/platform';
import { ProblemException } from '@umg/problem';
import type { DistrictPrincipal } from '../auth/district-principal';
import type { StoredAnswer } from './stored-answer';

interface KeyRow {
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: unknown;
  stale: boolean;
}

/** A request whose gateway died mid-way holds its key this long before a retry may take over. */
const ABANDONED_AFTER = '60 seconds';

/** How often keys older than 24 hours are deleted. */
const PURGE_INTERVAL_MS = 600_000;

/**
 * Idempotency keys of state-changing calls (GOV.UK Pay / Stripe style): the first request with a
 * key runs and its answer is stored; a retry with the same key and body gets that answer again
 * without a second effect; the same key with another body is refused. Keys live 24 hours.
 */
@Injectable()
export class IdempotentCommands implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly purge: PeriodicWorker;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    // A missed purge only keeps old keys a while longer: worth a warning, not an error.
    this.purge = new PeriodicWorker(
      { name: 'idempotency key purge', intervalMs: PURGE_INTERVAL_MS, failureLevel: 'warn' },
      logger,
      async () => {
        await this.dataSource.query(
          `DELETE FROM gateway.idempotency_key WHERE created_at < now() - interval '24 hours'`,
        );
      },
    );
  }

  onApplicationBootstrap(): void {
    this.purge.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.purge.stop();
  }

  static fingerprint(...parts: (string | Buffer)[]): string {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part).update('\0');
    return hash.digest('hex');
  }

  async execute(
    principal: DistrictPrincipal,
    key: string | undefined,
    requestHash: string,
    command: () => Promise<StoredAnswer>,
  ): Promise<StoredAnswer> {
    if (!key || key.length > 128) {
      throw new ProblemException(
        400,
        'idempotency_key_missing',
        'Idempotency-Key is required',
        'send a unique Idempotency-Key (1–128 characters, a UUID is a good choice) with every POST',
      );
    }
    const claimed = await this.claim(principal.clientId, key, requestHash);
    if (claimed !== true) return claimed;
    let answer: StoredAnswer;
    try {
      answer = await command();
    } catch (error) {
      // Nothing was decided (the service was unreachable, or the request was refused before it
      // ran): release the key so a retry can run.
      await this.release(principal.clientId, key);
      throw error;
    }
    if (answer.status >= 500) {
      await this.release(principal.clientId, key);
      return answer;
    }
    await this.dataSource.query(
      `UPDATE gateway.idempotency_key SET state = 'completed', response_status = $3, response_headers = $4, response_body = $5
       WHERE client_id = $1 AND key = $2`,
      [principal.clientId, key, answer.status, JSON.stringify(answer.headers), JSON.stringify(answer.body)],
    );
    return answer;
  }

  /** True when this request may run; otherwise the stored answer (or a refusal) to send. */
  private async claim(clientId: string, key: string, requestHash: string): Promise<true | StoredAnswer> {
    const inserted = (await this.dataSource.query(
      `INSERT INTO gateway.idempotency_key (client_id, key, request_hash, state) VALUES ($1, $2, $3, 'in_progress')
       ON CONFLICT DO NOTHING RETURNING 1`,
      [clientId, key, requestHash],
    )) as unknown[];
    if (inserted.length === 1) return true;
    const [row] = (await this.dataSource.query(
      `SELECT request_hash, state, response_status, response_headers, response_body,
              locked_at < now() - interval '${ABANDONED_AFTER}' AS stale
       FROM gateway.idempotency_key WHERE client_id = $1 AND key = $2`,
      [clientId, key],
    )) as KeyRow[];
    if (!row) return this.claim(clientId, key, requestHash); // purged in between
    if (row.request_hash !== requestHash) {
      throw new ProblemException(
        422,
        'idempotency_key_reused',
        'Idempotency-Key was used for another request',
        'this key was used before with a different request; use a new key for a new request',
      );
    }
    if (row.state === 'completed') {
      return { status: row.response_status!, headers: row.response_headers ?? {}, body: row.response_body };
    }
    if (row.stale) {
      const taken = (await this.dataSource.query(
        `UPDATE gateway.idempotency_key SET locked_at = now()
         WHERE client_id = $1 AND key = $2 AND state = 'in_progress' AND locked_at < now() - interval '${ABANDONED_AFTER}'
         RETURNING 1`,
        [clientId, key],
      )) as [unknown[], number];
      if (taken[1] === 1) return true;
    }
    throw new ProblemException(
      409,
      'idempotency_key_in_use',
      'A request with this Idempotency-Key is still running',
      'wait for the first request to finish, then retry',
      undefined,
      { 'Retry-After': '1' },
    );
  }

  private async release(clientId: string, key: string): Promise<void> {
    await this.dataSource
      .query(`DELETE FROM gateway.idempotency_key WHERE client_id = $1 AND key = $2 AND state = 'in_progress'`, [
        clientId,
        key,
      ])
      .catch(() => undefined);
  }
}
