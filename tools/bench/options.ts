import type { Command, OptionTable } from '../cli/options';

/** `npm run bench -- --help`: the bench's settings, each a flag and its environment variable. */
export const benchCommand = {
  usage: 'npm run bench [-- options]',
  summary: `The whole gateway on its own broker and database, driven through complete lifecycles in all 24
districts (pull, JSON push, SOAP push) by the portal load and the district offices (each in a
process of its own), with baselines measured in the same run. Phases: latency, throughput (then a
drain), intake only (offices off), baselines. A progress line at least every --progress-s.
Ctrl-C or SIGTERM stops every process it started (exit 130/143).`,
  options: {
    rate: {
      type: 'number',
      env: 'BENCH_RATE',
      default: 50,
      min: 0,
      description: 'offered applications/s, throughput phase',
    },
    'duration-s': {
      type: 'number',
      env: 'BENCH_DURATION_S',
      default: 300,
      min: 0,
      description: 'throughput phase, seconds',
    },
    'warm-up-s': {
      type: 'number',
      env: 'BENCH_WARM_UP_S',
      min: 0,
      description: 'start of the throughput phase left out of the figures (default min(30, duration/5))',
    },
    'drain-s': {
      type: 'number',
      env: 'BENCH_DRAIN_S',
      default: 60,
      min: 0,
      description: 'longest wait for the throughput phase to finish',
    },
    'latency-rate': {
      type: 'number',
      env: 'BENCH_LATENCY_RATE',
      min: 0,
      description: 'offered applications/s, latency phase (default: --rate)',
    },
    'latency-s': {
      type: 'number',
      env: 'BENCH_LATENCY_S',
      default: 60,
      min: 0,
      description: 'latency phase, seconds (0: none)',
    },
    'intake-rate': {
      type: 'number',
      env: 'BENCH_INTAKE_RATE',
      default: 400,
      min: 0,
      description: 'offered applications/s, intake-only phase',
    },
    'intake-s': {
      type: 'number',
      env: 'BENCH_INTAKE_S',
      default: 30,
      min: 0,
      description: 'intake-only phase, seconds (0: none)',
    },
    'max-in-flight': {
      type: 'number',
      env: 'BENCH_MAX_IN_FLIGHT',
      default: 512,
      min: 1,
      description: 'portal sends in flight at most (more due are skipped)',
    },
    'office-wait-s': {
      type: 'number',
      env: 'BENCH_OFFICE_WAIT_S',
      default: 20,
      min: 0,
      description: 'the offices’ long-poll wait on the changes feed',
    },
    'office-processes': {
      type: 'number',
      env: 'BENCH_OFFICE_PROCESSES',
      default: 1,
      min: 1,
      description: 'processes the 24 district offices are spread over',
    },
    'read-connections': {
      type: 'number',
      env: 'BENCH_READ_CONNECTIONS',
      default: 16,
      min: 1,
      description: 'connections of the HTTP load client (autocannon)',
    },
    'read-s': {
      type: 'number',
      env: 'BENCH_READ_S',
      default: 10,
      min: 0,
      description: 'seconds of each HTTP read baseline',
    },
    'progress-s': {
      type: 'number',
      env: 'BENCH_PROGRESS_S',
      default: 10,
      min: 1,
      description: 'seconds between progress lines',
    },
    profile: {
      type: 'boolean',
      env: 'BENCH_PROFILE',
      default: false,
      description: 'the services write V8 CPU profiles (costs CPU and memory)',
    },
    'port-offset': {
      type: 'number',
      env: 'BENCH_PORT_OFFSET',
      default: 6000,
      min: 0,
      description: 'port offset of the bench’s system',
    },
    'database-url': {
      type: 'string',
      env: 'BENCH_DATABASE_URL',
      default: 'postgres://postgres@127.0.0.1:5432/umg_bench',
      description: 'the bench’s database (dropped and made anew)',
    },
  },
  epilogue: 'Results: bench-results/<time>/results.{md,json}, timeline.svg (and .png with a headless Chromium).',
} as const satisfies Command<OptionTable>;
