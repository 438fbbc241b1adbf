/**
 * A micro-benchmark of one application transition on the real PostgreSQL (issue 19, round 2):
 * µs per transition (its transaction: the status UPDATE with its timeline entry, the outbox rows,
 * the commit with the changes feed's trigger) and how many of the application row's updates were
 * HOT, for the schema before this round's migrations, with only the HOT one, and with both. Each
 * configuration gets a fresh schema in a scratch database and the same free-service lifecycle
 * (routed → registered → in_progress → result_ready → delivered) through ApplicationLifecycle,
 * one transaction per transition, one client, rounds interleaved so a busy machine hits each alike.
 *
 *   npm run build && node dist/tools/bench/db-transitions.js            # 400 applications, 3 rounds
 *   DB_BENCH_APPLICATIONS=1000 DB_BENCH_ROUNDS=5 node dist/tools/bench/db-transitions.js
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { findCatalogueService } from '@umg/catalogue';
import { Outbox } from '@umg/messaging';
import { ensureDatabase, postgresOptions, runMigrations } from '@umg/persistence';
import { ApplicationEntity } from '../../services/applications/src/application/application.entity';
import { applicationsDatabase } from '../../services/applications/src/database';
import { WorkingCalendar } from '../../services/applications/src/calendar/working-calendar';
import { DeadlineClock } from '../../services/applications/src/deadlines/deadline-clock';
import {
  ApplicationLifecycle,
  type TransitionRequest,
} from '../../services/applications/src/lifecycle/application-lifecycle';

const url = process.env.DB_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/umg_bench_transitions';
// Commits not waiting for the disk: its flush costs the same in every configuration and, on a busy
// machine, would drown the differences in the statements' own work.
const benchUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c synchronous_commit=off')}`;
const applications = Number(process.env.DB_BENCH_APPLICATIONS ?? 400);
const rounds = Number(process.env.DB_BENCH_ROUNDS ?? 3);
/** Closed applications already in the table, so that its indexes have a working system's depth. */
const history = Number(process.env.DB_BENCH_HISTORY ?? 20_000);

/** The schemas compared: how many of this round's migrations are undone. */
const configurations = [
  { name: 'before (main)', undo: 2 },
  { name: 'HOT updates only', undo: 1 },
  { name: 'HOT updates + narrow feed', undo: 0 },
] as const;

interface Measurement {
  usPerTransition: number;
  /** CPU of the database backends that ran the transitions (user + system, from /proc). */
  backendCpuUsPerTransition: number;
  hotUpdates: number;
  updates: number;
  eventUpdates: number;
  tableBytes: number;
  indexBytes: number;
}

const district = { kind: 'district' as const, id: 'serdika:bench' };
const system = { kind: 'system' as const, id: 'applications' };

async function measure(undo: number): Promise<Measurement> {
  await ensureDatabase(url);
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('DROP SCHEMA IF EXISTS applications CASCADE');
    const migrating = new DataSource(
      postgresOptions({ url: benchUrl, poolSize: 2, applicationName: 'db-transitions', ...applicationsDatabase }),
    );
    await migrating.initialize();
    await runMigrations(migrating, 'applications');
    for (let i = 0; i < undo; i++) await migrating.undoLastMigration({ transaction: 'each' });
    await migrating.destroy();
    await seedHistory(admin);
    const opened = await openApplications();
    // A backend reports its table counters when it ends (otherwise when idle, at most once a second).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const measuredOptions = postgresOptions({
      url: benchUrl,
      poolSize: 2,
      applicationName: 'db-transitions-measured',
      ...applicationsDatabase,
    });
    // The watched backends must live to the end: no closing of idle connections.
    const dataSource = new DataSource({
      ...measuredOptions,
      extra: { ...(measuredOptions.extra as object), idleTimeoutMillis: 0 },
    } as typeof measuredOptions);
    await dataSource.initialize();
    try {
      // Both pool connections open now, so that their backends can be watched.
      await Promise.all([dataSource.query('SELECT pg_sleep(0.05)'), dataSource.query('SELECT pg_sleep(0.05)')]);
      const backends = (
        await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE application_name = 'db-transitions-measured' AND datname = current_database()`,
        )
      ).rows.map((row) => row.pid);
      const lifecycle = new ApplicationLifecycle(
        new Outbox('applications', 'urn:umg:service:applications'),
        new DeadlineClock(new WorkingCalendar(dataSource)),
      );
      const before = await tableCounters(admin);
      const cpuBefore = backendCpuMs(backends);
      const steps: ((application: ApplicationEntity) => TransitionRequest)[] = [
        () => ({ to: 'routed', actor: system }),
        (application) => ({
          to: 'registered',
          actor: district,
          changes: { registrationNumber: `СРД-${application.id}` },
        }),
        () => ({ to: 'in_progress', actor: district }),
        () => ({ to: 'result_ready', actor: district }),
        () => ({ to: 'delivered', actor: system }),
      ];
      let transitions = 0;
      const started = performance.now();
      // Step by step over all applications, as a busy system interleaves them.
      for (const step of steps) {
        for (let i = 0; i < opened.length; i++) {
          const application = opened[i]!;
          opened[i] = await dataSource.transaction((manager) =>
            lifecycle.transition(manager, application, step(application)),
          );
          transitions += 1;
        }
      }
      const elapsedMs = performance.now() - started;
      const cpuMs = backendCpuMs(backends) - cpuBefore;
      await dataSource.destroy();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = await tableCounters(admin);
      const [sizes] = (
        await admin.query<{ table_bytes: string; index_bytes: string }>(
          `SELECT pg_table_size('applications.application') + pg_table_size('applications.application_event') AS table_bytes,
                  pg_indexes_size('applications.application') + pg_indexes_size('applications.application_event')
                  + coalesce(pg_indexes_size(to_regclass('applications.application_change')), 0) AS index_bytes`,
        )
      ).rows;
      return {
        usPerTransition: (elapsedMs * 1000) / transitions,
        backendCpuUsPerTransition: (cpuMs * 1000) / transitions,
        hotUpdates: after.hot - before.hot,
        updates: after.updates - before.updates,
        eventUpdates: after.eventUpdates - before.eventUpdates,
        tableBytes: Number(sizes!.table_bytes),
        indexBytes: Number(sizes!.index_bytes),
      };
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  } finally {
    await admin.end();
  }
}

/** CPU ms (user + system) the processes have used, from /proc/<pid>/stat (clock ticks of 10 ms). */
function backendCpuMs(pids: number[]): number {
  return pids.reduce((total, pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return total + (Number(fields[11]) + Number(fields[12])) * 10;
  }, 0);
}

/** The applications the benchmark moves, opened (received) through the lifecycle by a pool that then ends. */
async function openApplications(): Promise<ApplicationEntity[]> {
  const dataSource = new DataSource(
    postgresOptions({ url: benchUrl, poolSize: 2, applicationName: 'db-transitions-open', ...applicationsDatabase }),
  );
  await dataSource.initialize();
  try {
    const clock = new DeadlineClock(new WorkingCalendar(dataSource));
    const lifecycle = new ApplicationLifecycle(new Outbox('applications', 'urn:umg:service:applications'), clock);
    const service = findCatalogueService(2052)!;
    const opened: ApplicationEntity[] = [];
    for (let i = 0; i < applications; i++) {
      const receivedAt = new Date();
      opened.push(
        await dataSource.transaction(async (manager) => {
          const application = Object.assign(new ApplicationEntity(), {
            id: randomUUID(),
            portalApplicationId: `BENCH-${randomUUID()}`,
            serviceReferenceNumber: 'REF-1',
            serviceNumber: service.serviceNumber,
            serviceName: service.nameBg,
            districtCode: 'serdika',
            urgency: 'regular',
            registrationNumber: null,
            applicant: { identifierType: 'EGN', identifier: '8001010000', name: 'Иван Петров' },
            representative: null,
            deliveryChannel: 'e_delivery',
            eDeliveryProfileId: 'profile-1',
            formData: { purpose: 'bench', address: 'ул. Граф Игнатиев 1, София' },
            submittedAt: receivedAt,
            receivedAt,
            overdueAt: null,
            dueSoonAt: null,
            conformanceRunId: null,
            updatedAt: receivedAt,
            ...(await clock.start(manager, service, 'regular', receivedAt, false)),
          });
          return lifecycle.open(manager, application, { kind: 'portal', id: 'egov.bg' });
        }),
      );
    }
    return opened;
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Closed applications of every district with five timeline entries each, written without the
 * feed's trigger (session_replication_role): the indexes the transitions write into are of a
 * working system's depth, not a few pages.
 */
async function seedHistory(admin: Client): Promise<void> {
  await admin.query(`SET session_replication_role = replica`);
  await admin.query(
    `INSERT INTO applications.application (id, portal_application_id, service_reference_number, service_number,
       service_name, district_code, urgency, status, registration_number, applicant, delivery_channel, form_data,
       submitted_at, received_at, version, updated_at, last_sequence)
     SELECT gen_random_uuid(), 'HIST-' || n, 'REF-1', 2052, 'история', 'district-' || (n % 24), 'regular', 'delivered',
            'REG-' || n, '{"identifierType":"EGN","identifier":"8001010000","name":"Иван Петров"}', 'e_delivery',
            '{"purpose":"history"}', now() - make_interval(secs => n), now() - make_interval(secs => n), 5, now(), 5
       FROM generate_series(1, $1::int) n`,
    [history],
  );
  await admin.query(
    `INSERT INTO applications.application_event (application_id, district_code, sequence, from_status, to_status,
       occurred_at, actor_kind, actor_id)
     SELECT a.id, a.district_code, s, NULL, 'routed', a.received_at, 'system', 'applications'
       FROM applications.application a, generate_series(1, 5) s`,
  );
  await admin.query(`SET session_replication_role = DEFAULT`);
  await admin.query(`VACUUM ANALYZE applications.application, applications.application_event`);
}

async function tableCounters(admin: Client): Promise<{ hot: number; updates: number; eventUpdates: number }> {
  const { rows } = await admin.query<{ relname: string; n_tup_upd: string; n_tup_hot_upd: string }>(
    `SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables
      WHERE schemaname = 'applications' AND relname IN ('application', 'application_event')`,
  );
  const of = (name: string) => rows.find((row) => row.relname === name);
  return {
    hot: Number(of('application')?.n_tup_hot_upd ?? 0),
    updates: Number(of('application')?.n_tup_upd ?? 0),
    eventUpdates: Number(of('application_event')?.n_tup_upd ?? 0),
  };
}

async function main(): Promise<void> {
  const results = new Map<string, Measurement[]>();
  for (let round = 1; round <= rounds; round++) {
    for (const configuration of configurations) {
      const measurement = await measure(configuration.undo);
      results.set(configuration.name, [...(results.get(configuration.name) ?? []), measurement]);
      console.log(
        `round ${round} ${configuration.name}: ${measurement.usPerTransition.toFixed(0)} µs/transition, ` +
          `database CPU ${measurement.backendCpuUsPerTransition.toFixed(0)} µs, ` +
          `HOT ${measurement.hotUpdates}/${measurement.updates} application updates, ` +
          `${measurement.eventUpdates} timeline-entry updates`,
      );
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(`\n${applications} applications × 5 transitions, ${rounds} rounds (median):`);
  console.log(
    '| schema | µs per transition (wall) | database CPU µs per transition | HOT / all application updates | timeline-entry updates | table + index MB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, measurements] of results) {
    const last = measurements.at(-1)!;
    console.log(
      `| ${name} | ${median(measurements.map((m) => m.usPerTransition)).toFixed(0)} | ` +
        `${median(measurements.map((m) => m.backendCpuUsPerTransition)).toFixed(0)} | ` +
        `${last.hotUpdates} / ${last.updates} | ${last.eventUpdates} | ` +
        `${(last.tableBytes / 1e6).toFixed(2)} + ${(last.indexBytes / 1e6).toFixed(2)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
