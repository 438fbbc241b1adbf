import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, type ServiceName, type ServiceProcess, type SystemLayout } from '../dev/local-system';
import type { PrivatePostgres } from './private-postgres';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FaultRecord {
  kind: string;
  /** Seconds since the run started. */
  at: number;
  /** How long the fault lasted, when it lasts. */
  seconds?: number;
}

export interface FaultTargets {
  layout: SystemLayout;
  services: Map<ServiceName, ServiceProcess>;
  postgres: PrivatePostgres;
  /** MESSAGING_FAULT_INJECTION_DIR of the services. */
  faultInjectionDir: string;
  paymentSystemUrl: string;
  eDeliveryUrl: string;
  backOffices: { json: string; soap: string };
  sendPoison(): Promise<void>;
}

type Fault = { kind: string; inject: () => Promise<number | void> };

/** Services with a Kafka consumer, where a crash between the database commit and the offset commit can happen. */
const consuming: ServiceName[] = ['applications', 'payments', 'delivery', 'districts'];

/**
 * The faults of the chaos run, injected one after another while applications flow: each is
 * recorded with when it started and how long it lasted.
 */
export class FaultInjector {
  readonly injected: FaultRecord[] = [];
  private stopped = false;

  constructor(
    private readonly targets: FaultTargets,
    private readonly startedAt: number,
    private readonly log: (line: string) => void,
  ) {}

  /** One pass through every fault, then more passes while `keepGoing` says so. */
  async run(gapMs: number, keepGoing: () => boolean): Promise<void> {
    const faults = this.catalogue();
    for (let pass = 0; pass === 0 || (keepGoing() && !this.stopped); pass++) {
      for (const fault of faults) {
        if (this.stopped) return;
        await sleep(gapMs);
        const at = (Date.now() - this.startedAt) / 1000;
        this.log(`fault: ${fault.kind}`);
        try {
          const seconds = await fault.inject();
          this.injected.push({ kind: fault.kind, at, ...(seconds ? { seconds } : {}) });
        } catch (error) {
          this.log(
            `fault ${fault.kind} could not be injected: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private catalogue(): Fault[] {
    const t = this.targets;
    const kill = (name: ServiceName): Fault => ({ kind: `${name} killed (SIGKILL)`, inject: () => this.kill(name) });
    const betweenCommits = (name: ServiceName): Fault => ({
      kind: `${name} killed between database commit and offset commit`,
      inject: () => this.crashAfterCommit(name),
    });
    // The crashes between the commits need traffic: they come in the first half of the pass.
    return [
      { kind: 'poison messages on every consumed topic', inject: () => t.sendPoison() },
      kill('applications'),
      betweenCommits('applications'),
      { kind: 'broker killed (kill -9) and restarted', inject: () => this.brokerKill() },
      betweenCommits('payments'),
      {
        kind: 'payment system down (503)',
        inject: () =>
          this.window(
            20,
            () => this.paymentSystem({ mode: 'unavailable' }),
            () => this.paymentSystem({ mode: 'none' }),
          ),
      },
      betweenCommits('delivery'),
      kill('payments'),
      betweenCommits('districts'),
      {
        kind: 'e-delivery down (connections cut)',
        inject: () =>
          this.window(
            20,
            () => this.eDelivery({ mode: 'down' }),
            () => this.eDelivery({ mode: 'ok' }),
          ),
      },
      { kind: 'PostgreSQL stopped immediately and restarted', inject: () => this.postgresCrash() },
      kill('delivery'),
      {
        kind: 'district back office down (Sredets, JSON)',
        inject: () =>
          this.window(
            20,
            () => this.backOffice('json', 'sredets', 'down'),
            () => this.backOffice('json', 'sredets', 'ok'),
          ),
      },
      { kind: 'broker paused past the consumer session timeout', inject: () => this.brokerPause(35) },
      kill('districts'),
      {
        kind: 'payment notifications duplicated',
        inject: () =>
          this.window(
            30,
            () => this.paymentSystemNotifications(true),
            () => this.paymentSystemNotifications(false),
          ),
      },
      kill('gateway'),
      {
        kind: 'district back office down (Oborishte, SOAP)',
        inject: () =>
          this.window(
            20,
            () => this.backOffice('soap', 'oborishte', 'down'),
            () => this.backOffice('soap', 'oborishte', 'ok'),
          ),
      },
      {
        kind: 'payment system down (connections reset)',
        inject: () =>
          this.window(
            15,
            () => this.paymentSystem({ mode: 'reset' }),
            () => this.paymentSystem({ mode: 'none' }),
          ),
      },
    ];
  }

  private async window(seconds: number, begin: () => Promise<void>, end: () => Promise<void>): Promise<number> {
    await begin();
    await sleep(seconds * 1000);
    // Ending a fault must not fail: the rest of the run depends on it.
    for (let attempt = 0; ; attempt++) {
      try {
        await end();
        return seconds;
      } catch (error) {
        if (attempt > 20) throw error;
        await sleep(500);
      }
    }
  }

  private async kill(name: ServiceName): Promise<void> {
    const service = this.targets.services.get(name)!;
    const restarts = service.restarts;
    service.crash();
    await this.restarted(service, restarts);
  }

  /** Arms the consumer's crash hook (libs/messaging fault-injection.ts): it kills itself right after its next commit. */
  private async crashAfterCommit(name: ServiceName): Promise<void> {
    if (!consuming.includes(name)) throw new Error(`${name} consumes nothing`);
    const service = this.targets.services.get(name)!;
    const restarts = service.restarts;
    const trigger = join(this.targets.faultInjectionDir, `crash-${service.pid}`);
    writeFileSync(trigger, '');
    const deadline = Date.now() + 30_000;
    while (service.restarts === restarts && Date.now() < deadline) await sleep(100);
    if (service.restarts === restarts) {
      rmSync(trigger, { force: true });
      throw new Error(`${name} handled no message within 30 s`);
    }
    await this.restarted(service, restarts);
  }

  private async restarted(service: ServiceProcess, restartsBefore: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (service.restarts === restartsBefore && Date.now() < deadline) await sleep(100);
    await service.waitReady(120_000).catch(() => undefined);
  }

  private broker(command: 'kill9' | 'start' | 'pause' | 'resume'): Promise<unknown> {
    const { layout } = this.targets;
    return run(join(repoRoot, 'deploy/kafka/kafka.sh'), [command], {
      env: {
        ...process.env,
        KAFKA_PORT: String(layout.kafkaPort),
        KAFKA_DATA_DIR: join(layout.dataDir, `kafka-${layout.kafkaPort}`),
      },
    });
  }

  private async brokerKill(): Promise<number> {
    const began = Date.now();
    await this.broker('kill9');
    await sleep(5_000);
    await this.brokerStart();
    return Math.round((Date.now() - began) / 1000);
  }

  /** kafka.sh start gives up after 90 s without an answer to its probe (a JVM of its own, slow on a
   * loaded machine) but leaves the broker running; starting again waits for that same broker. */
  private async brokerStart(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.broker('start');
        return;
      } catch (error) {
        if (attempt >= 4) throw error;
      }
    }
  }

  private async brokerPause(seconds: number): Promise<number> {
    await this.broker('pause');
    await sleep(seconds * 1000);
    await this.broker('resume');
    return seconds;
  }

  private async postgresCrash(): Promise<number> {
    const began = Date.now();
    await this.targets.postgres.stopImmediately();
    await sleep(5_000);
    await this.targets.postgres.start();
    return Math.round((Date.now() - began) / 1000);
  }

  private paymentSystem(failure: Record<string, unknown>): Promise<void> {
    return this.post(`${this.targets.paymentSystemUrl}/simulator/failure`, 'POST', failure);
  }

  private paymentSystemNotifications(duplicate: boolean): Promise<void> {
    return this.post(`${this.targets.paymentSystemUrl}/simulator/notifications`, 'POST', { duplicate });
  }

  private eDelivery(behaviour: Record<string, unknown>): Promise<void> {
    return this.post(`${this.targets.eDeliveryUrl}/_sim/behaviour`, 'PUT', behaviour);
  }

  private backOffice(style: 'json' | 'soap', district: string, mode: string): Promise<void> {
    return this.post(`${this.targets.backOffices[style]}/_control/${district}`, 'POST', { mode });
  }

  private async post(url: string, method: string, body: unknown): Promise<void> {
    const response = await fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status}`);
  }
}

/** The faults table: each kind, how often, and when (seconds into the run). */
export function faultsTable(faults: FaultRecord[]): string {
  const kinds = new Map<string, FaultRecord[]>();
  for (const fault of faults) kinds.set(fault.kind, [...(kinds.get(fault.kind) ?? []), fault]);
  const width = Math.max(5, ...[...kinds.keys()].map((kind) => kind.length));
  const lines = [`${'fault'.padEnd(width)}  count  when (s into the run, duration)`];
  for (const [kind, list] of kinds) {
    const times = list.map((f) => `${Math.round(f.at)}${f.seconds ? ` (${f.seconds} s)` : ''}`);
    const when = times.length > 6 ? `${times.slice(0, 3).join(', ')}, …, ${times.at(-1)}` : times.join(', ');
    lines.push(`${kind.padEnd(width)}  ${String(list.length).padStart(5)}  ${when}`);
  }
  return lines.join('\n');
}
