import { type Command, helpText, type OptionTable, parseOptions, UsageError } from './options';
import { benchCommand } from '../bench/options';
import { chaosCommand } from '../chaos/options';
import { fuzzCommand } from '../fuzz/options';
import { pkiCommand } from '../pki/options';

// Each tool's table: every environment variable it read before the flags still has its setting,
// with the same default, and the flag wins over it.

const variables = (command: Command<OptionTable>) =>
  Object.values(command.options)
    .map((spec) => spec.env)
    .filter(Boolean)
    .sort();

describe('the tools’ option tables', () => {
  it('bench: every BENCH_* variable, the old defaults, flags win', () => {
    expect(variables(benchCommand)).toEqual(
      [
        'BENCH_RATE',
        'BENCH_DURATION_S',
        'BENCH_WARM_UP_S',
        'BENCH_DRAIN_S',
        'BENCH_LATENCY_RATE',
        'BENCH_LATENCY_S',
        'BENCH_INTAKE_RATE',
        'BENCH_INTAKE_S',
        'BENCH_MAX_IN_FLIGHT',
        'BENCH_OFFICE_WAIT_S',
        'BENCH_OFFICE_PROCESSES',
        'BENCH_READ_CONNECTIONS',
        'BENCH_READ_S',
        'BENCH_PROGRESS_S',
        'BENCH_PROFILE',
        'BENCH_PORT_OFFSET',
        'BENCH_DATABASE_URL',
      ].sort(),
    );
    const { values } = parseOptions(benchCommand, ['--rate', '5'], { BENCH_RATE: '20', BENCH_PROFILE: '1' });
    expect(values).toMatchObject({ rate: 5, 'duration-s': 300, 'progress-s': 10, profile: true, 'port-offset': 6000 });
    expect(values['warm-up-s']).toBeUndefined();
    expect(() => parseOptions(benchCommand, ['--progress-s', '0'], {})).toThrow(UsageError);
  });

  it('chaos: CHAOS_* variables, the old defaults', () => {
    expect(variables(chaosCommand)).toEqual(
      ['CHAOS_APPLICATIONS', 'CHAOS_RATE', 'CHAOS_PORT_BASE', 'CHAOS_SETTLE_TIMEOUT_S', 'CHAOS_KEEP'].sort(),
    );
    expect(parseOptions(chaosCommand, [], { CHAOS_KEEP: '1', CHAOS_RATE: '3' }).values).toEqual({
      applications: 5000,
      rate: 3,
      'port-base': 12000,
      'settle-timeout-s': 600,
      keep: true,
    });
  });

  it('fuzz: FUZZ_* variables, the old defaults, the seed from the flag', () => {
    expect(variables(fuzzCommand)).toEqual(
      [
        'FUZZ_CASES',
        'FUZZ_SEED',
        'FUZZ_CONCURRENCY',
        'FUZZ_MAX_ANSWER_MS',
        'FUZZ_MAX_STALL_MS',
        'FUZZ_PORT_OFFSET',
        'FUZZ_DATABASE_URL',
      ].sort(),
    );
    const { values } = parseOptions(fuzzCommand, ['--seed', '42'], { FUZZ_SEED: '7', FUZZ_CASES: '100' });
    expect(values).toMatchObject({ seed: 42, cases: 100, concurrency: 8, 'max-answer-ms': 2000, 'port-offset': 7000 });
  });

  it('pki: subcommands as positionals, its variables as flags', () => {
    expect(variables(pkiCommand)).toEqual(
      ['DATABASE_URL', 'OAUTH_CLIENTS_FILE', 'OPERATOR_OIDC_ISSUER', 'PKI_DIR'].sort(),
    );
    const parsed = parseOptions(pkiCommand, ['issue', 'serdika', '--days', '30'], { PKI_DIR: '/pki' });
    expect(parsed.positionals).toEqual(['issue', 'serdika']);
    expect(parsed.values).toMatchObject({ days: 30, dir: '/pki' });
    expect(() => parseOptions(pkiCommand, ['list', '--dri', 'x'], {})).toThrow(UsageError);
  });

  it('every tool’s help names each flag', () => {
    const commands: Command<OptionTable>[] = [benchCommand, chaosCommand, fuzzCommand, pkiCommand];
    for (const command of commands) {
      const text = helpText(command);
      for (const name of Object.keys(command.options)) expect(text).toContain(`--${name}`);
    }
  });
});
