import { parseArgs } from 'node:util';

/**
 * The command-line settings of the tools (bench, chaos, fuzz, pki): one table per tool, each
 * setting a flag and, where the tool had one, its environment variable. A flag wins over the
 * environment, the environment over the default; `--help` prints the table.
 */
export interface OptionSpec {
  type: 'number' | 'string' | 'boolean';
  /** The environment variable that sets it too (kept for scripts written before the flags). */
  env?: string;
  /** Used when neither flag nor variable is given; absent: the tool decides (e.g. from other settings). */
  default?: number | string | boolean;
  /** Smallest number accepted (numbers only). */
  min?: number;
  short?: string;
  /** One line for `--help`; the default is shown after it. */
  description: string;
}

/** Option names are the flags (`--rate`); the tool reads them by the same name. */
export type OptionTable = Record<string, OptionSpec>;

type Value<S extends OptionSpec> = S['type'] extends 'number' ? number : S['type'] extends 'boolean' ? boolean : string;
export type OptionValues<T extends OptionTable> = {
  [K in keyof T]: T[K] extends { default: number | string | boolean } ? Value<T[K]> : Value<T[K]> | undefined;
};

/** A mistake in how the command was called: the tools print it with a pointer to `--help` and exit 2. */
export class UsageError extends Error {}

export interface Command<T extends OptionTable> {
  /** How it is called, e.g. `npm run chaos [-- options]`. */
  usage: string;
  /** What it does, a few lines. */
  summary: string;
  options: T;
  /** Lines after the options table (results, examples). */
  epilogue?: string;
  /** Whether words that are not flags are allowed (pki's subcommands). */
  positionals?: boolean;
}

export interface Parsed<T extends OptionTable> {
  values: OptionValues<T>;
  positionals: string[];
  help: boolean;
}

function convert(spec: OptionSpec, raw: string | boolean, source: string): number | string | boolean {
  if (spec.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off', ''].includes(raw.toLowerCase())) return false;
    throw new UsageError(`${source} must be 1 or 0 (true or false), not "${raw}"`);
  }
  if (spec.type === 'string') return String(raw);
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(value)) throw new UsageError(`${source} must be a number, not "${String(raw)}"`);
  if (spec.min !== undefined && value < spec.min) throw new UsageError(`${source} must be ≥ ${spec.min}, not ${value}`);
  return value;
}

/** The settings from `argv` (without node and the script) and `env`: flags win, then variables, then defaults. */
export function parseOptions<T extends OptionTable>(
  command: Command<T>,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Parsed<T> {
  const flags: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(command.options)) {
    flags[name] = {
      type: spec.type === 'boolean' ? 'boolean' : 'string',
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs' own words name the flag; ours say where to look.
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify .*$/s, '') : String(error));
  }
  if (parsed.positionals.length > 0 && !command.positionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  }
  const values: Record<string, number | string | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(command.options)) {
    const flag = (parsed.values as Record<string, string | boolean | undefined>)[name];
    const fromEnv = spec.env === undefined ? undefined : env[spec.env];
    if (flag !== undefined) values[name] = convert(spec, flag, `--${name}`);
    else if (fromEnv !== undefined && fromEnv !== '') values[name] = convert(spec, fromEnv, spec.env!);
    else values[name] = spec.default;
  }
  return { values: values as OptionValues<T>, positionals: parsed.positionals, help: parsed.values.help === true };
}

/** The `--help` text: usage, summary, then one line per option with its variable and default. */
export function helpText<T extends OptionTable>(command: Command<T>): string {
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'boolean' ? '' : ` <${spec.type === 'number' ? 'n' : 'value'}>`}`;
    const fallback = spec.default === undefined ? '' : ` (default ${String(spec.default)})`;
    return { flag, env: spec.env ?? '', text: `${spec.description}${fallback}` };
  });
  const flagWidth = Math.max(...rows.map((row) => row.flag.length), '-h, --help'.length) + 2;
  const envWidth = Math.max(...rows.map((row) => row.env.length)) + 2;
  return [
    command.usage,
    '',
    command.summary,
    '',
    `Options (a flag wins over its environment variable${envWidth > 2 ? ', shown beside it' : ''}):`,
    ...rows.map((row) => `  ${row.flag.padEnd(flagWidth)}${row.env.padEnd(envWidth)}${row.text}`),
    `  ${'-h, --help'.padEnd(flagWidth)}${''.padEnd(envWidth)}this text`,
    ...(command.epilogue ? ['', command.epilogue] : []),
  ].join('\n');
}

/**
 * The tool's settings from this process's command line and environment; `--help` prints the
 * help and exits 0, a mistake prints what is wrong and exits 2.
 */
export function commandLine<T extends OptionTable>(command: Command<T>): Parsed<T> {
  try {
    const parsed = parseOptions(command, process.argv.slice(2), process.env);
    if (parsed.help) {
      process.stdout.write(`${helpText(command)}\n`);
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${command.usage}  (--help lists the options)\n`);
    process.exit(2);
  }
}
