import { type Command, helpText, type OptionTable, parseOptions, UsageError } from './options';

const options = {
  rate: { type: 'number', env: 'THING_RATE', default: 8, min: 0, description: 'things per second' },
  seed: { type: 'number', env: 'THING_SEED', description: 'random seed' },
  keep: { type: 'boolean', env: 'THING_KEEP', default: false, description: 'keep it up' },
  url: { type: 'string', env: 'THING_URL', default: 'postgres://x', description: 'database' },
  dir: { type: 'string', description: 'folder (no variable)' },
} as const satisfies OptionTable;
const command: Command<typeof options> = { usage: 'npm run thing [-- options]', summary: 'Does a thing.', options };

const parse = (argv: string[], env: Record<string, string> = {}) => parseOptions(command, argv, env);

describe('tool options', () => {
  it('takes defaults when neither flag nor variable is given', () => {
    expect(parse([]).values).toEqual({ rate: 8, seed: undefined, keep: false, url: 'postgres://x', dir: undefined });
  });

  it('reads the environment variables, and a flag wins over its variable', () => {
    const env = { THING_RATE: '5', THING_SEED: '42', THING_KEEP: '1', THING_URL: 'postgres://env' };
    expect(parse([], env).values).toEqual({ rate: 5, seed: 42, keep: true, url: 'postgres://env', dir: undefined });
    const both = parse(['--rate', '2.5', '--url=postgres://flag', '--dir', '/tmp/x'], env).values;
    expect(both).toMatchObject({ rate: 2.5, seed: 42, url: 'postgres://flag', dir: '/tmp/x' });
  });

  it('an empty variable counts as not set', () => {
    expect(parse([], { THING_RATE: '' }).values.rate).toBe(8);
  });

  it('refuses unknown flags, positionals, bad numbers and values below the minimum', () => {
    expect(() => parse(['--rat', '3'])).toThrow(UsageError);
    expect(() => parse(['--rat', '3'])).toThrow(/--rat/);
    expect(() => parse(['extra'])).toThrow(/unexpected argument "extra"/);
    expect(() => parse(['--rate', 'fast'])).toThrow('--rate must be a number, not "fast"');
    expect(() => parse(['--rate=-1'])).toThrow('--rate must be ≥ 0, not -1');
    expect(() => parse([], { THING_RATE: 'x' })).toThrow('THING_RATE must be a number, not "x"');
    expect(() => parse([], { THING_KEEP: 'maybe' })).toThrow(/THING_KEEP must be 1 or 0/);
    expect(() => parse(['--rate'])).toThrow(UsageError);
  });

  it('knows --help and -h', () => {
    expect(parse(['--help']).help).toBe(true);
    expect(parse(['-h']).help).toBe(true);
    expect(parse([]).help).toBe(false);
  });

  it('the help lists every flag with its variable and default', () => {
    const text = helpText(command);
    expect(text).toContain('npm run thing [-- options]');
    expect(text).toMatch(/--rate <n>\s+THING_RATE\s+things per second \(default 8\)/);
    expect(text).toMatch(/--keep\s+THING_KEEP\s+keep it up \(default false\)/);
    expect(text).toMatch(/--dir <value>\s+folder \(no variable\)$/m);
    expect(text).toMatch(/-h, --help\s+this text/);
  });
});
