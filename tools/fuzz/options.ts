import type { Command, OptionTable } from '../cli/options';

/** `npm run fuzz -- --help`: the bad-input run's settings, each a flag and its environment variable. */
export const fuzzCommand = {
  usage: 'npm run fuzz [-- options]',
  summary: `Malformed and hostile input against every public operation and every consumed topic of a system
of its own (own broker, own database, every service a process), then the checker's verdict. An
answer slower than --max-answer-ms is a violation, and so is an event loop that stalls longer than
--max-stall-ms. A progress line at least every 10 s; Ctrl-C or SIGTERM stops everything it started.`,
  options: {
    cases: {
      type: 'number',
      env: 'FUZZ_CASES',
      default: 10_000,
      min: 1,
      description: 'cases in all (a quarter on Kafka)',
    },
    seed: {
      type: 'number',
      env: 'FUZZ_SEED',
      min: 0,
      description: 'the random seed; the run prints it, to repeat a run (default: from the clock)',
    },
    concurrency: { type: 'number', env: 'FUZZ_CONCURRENCY', default: 8, min: 1, description: 'HTTP cases in flight' },
    'max-answer-ms': {
      type: 'number',
      env: 'FUZZ_MAX_ANSWER_MS',
      default: 2_000,
      min: 1,
      description: 'slowest answer allowed',
    },
    'max-stall-ms': {
      type: 'number',
      env: 'FUZZ_MAX_STALL_MS',
      default: 1_000,
      min: 1,
      description: 'longest event-loop stall allowed in a service',
    },
    'port-offset': {
      type: 'number',
      env: 'FUZZ_PORT_OFFSET',
      default: 7_000,
      min: 0,
      description: 'port offset of the run’s system (away from the tests’)',
    },
    'database-url': {
      type: 'string',
      env: 'FUZZ_DATABASE_URL',
      description: 'the run’s database, its schemas dropped first (default umg_fuzz_<offset> on the local PostgreSQL)',
    },
  },
  epilogue: 'Results: the report on stdout; the violating inputs in .data/fuzz/violations.json. Exit 1 on a violation.',
} as const satisfies Command<OptionTable>;
