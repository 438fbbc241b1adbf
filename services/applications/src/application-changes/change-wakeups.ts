import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import { Client } from 'pg';
import { APPLICATIONS_CONFIG } from '../applications-config.token';
import type { ApplicationsConfig } from '../config';
import { InjectLogger } from '../inject-logger';

type Waiter = () => void;

/**
 * Wakes long-polls when a district's feed moves: one LISTEN connection per instance (the commit's
 * NOTIFY carries the district code), so a waiting call holds no pooled database connection. When
 * the connection drops every waiter is woken to read again, and it reconnects on the next wait.
 */
@Injectable()
export class ChangeWakeups implements OnModuleDestroy {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private client: Promise<Client> | undefined;
  private closed = false;

  constructor(
    @Inject(APPLICATIONS_CONFIG) private readonly config: ApplicationsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /**
   * Registers interest in a district before its feed is read (so a commit between the read and
   * the wait is not missed); `wait` resolves on its NOTIFY or after `ms`; always `close` it.
   */
  async subscribe(districtCode: string): Promise<{ wait(ms: number): Promise<void>; close(): void }> {
    await this.listening();
    let wake: Waiter = () => undefined;
    let woken = false;
    const waiter: Waiter = () => {
      woken = true;
      wake();
    };
    const set = this.waiters.get(districtCode) ?? new Set<Waiter>();
    set.add(waiter);
    this.waiters.set(districtCode, set);
    return {
      wait: (ms) =>
        woken
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, Math.max(0, ms));
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            }),
      close: () => {
        set.delete(waiter);
        if (set.size === 0 && this.waiters.get(districtCode) === set) this.waiters.delete(districtCode);
      },
    };
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    const client = await this.client?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  private listening(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('the service is stopping'));
    this.client ??= this.connect().catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'applications-changes' });
    const lost = (error?: Error) => {
      if (error) this.logger.warn({ err: error }, 'changes feed LISTEN connection lost; waiters read again');
      this.client = undefined;
      this.wakeAll();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      for (const waiter of this.waiters.get(message.payload ?? '') ?? []) waiter();
    });
    await client.connect();
    await client.query('LISTEN application_changes');
    return client;
  }

  private wakeAll(): void {
    for (const set of this.waiters.values()) for (const waiter of set) waiter();
  }
}
