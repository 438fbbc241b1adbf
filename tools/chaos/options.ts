import type { Command, OptionTable } from '../cli/options';

/** `npm run chaos -- --help`: the chaos run's settings, each a flag and its environment variable. */
export const chaosCommand = {
  usage: 'npm run chaos [-- options]',
  summary: `The whole system on this machine (its own PostgreSQL cluster and Kafka broker, every service a
process, the simulators) runs applications through scripted lifecycles while faults are injected,
then checks the invariants and prints the faults and invariants tables. Exit 0: every invariant held;
1: one broke; 2: a wrong option or a failed run; 130/143: stopped by Ctrl-C/SIGTERM (nothing left running).
A progress line at least every 10 s.`,
  options: {
    applications: {
      type: 'number',
      env: 'CHAOS_APPLICATIONS',
      default: 5_000,
      min: 1,
      description: 'applications run through their scripts',
    },
    rate: { type: 'number', env: 'CHAOS_RATE', default: 8, min: 0.1, description: 'applications filed per second' },
    'port-base': {
      type: 'number',
      env: 'CHAOS_PORT_BASE',
      default: 12_000,
      min: 1024,
      description: 'first port of the run’s system (gateway; the rest above it)',
    },
    'settle-timeout-s': {
      type: 'number',
      env: 'CHAOS_SETTLE_TIMEOUT_S',
      default: 600,
      min: 1,
      description: 'seconds without progress after which the invariants are checked as things are',
    },
    keep: {
      type: 'boolean',
      env: 'CHAOS_KEEP',
      default: false,
      description: 'leave the system up after the run for a look (Ctrl-C stops it)',
    },
  },
  epilogue: 'Results: .data/chaos/result.json and chaos.svg (faults and recovery over time, invariants checked).',
} as const satisfies Command<OptionTable>;
