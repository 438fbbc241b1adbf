import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of the chaos run's own (initdb into its data folder, its own port and
 * socket folder), so the run can stop it with `pg_ctl stop -m immediate` without touching the
 * PostgreSQL everyone else on the machine uses. initdb refuses to run as root: as root, the
 * cluster belongs to the `postgres` user and its commands run through `runuser`.
 */
export class PrivatePostgres {
  private readonly bin = postgresBinDir();
  private readonly asRoot = process.getuid?.() === 0;

  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/umg_chaos`;
  }

  /** A fresh cluster: the folder is expected to be empty or absent. */
  async init(): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    if (this.asRoot) chownSync(this.dataDir, ...postgresIds());
    await this.run('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
    // fsync off: the faults here are process crashes, after which the OS still has every write;
    // synchronous_commit stays on, so a commit the services saw survives an immediate stop.
    writeFileSync(
      join(this.dataDir, 'postgresql.auto.conf'),
      [
        `port = ${this.port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${this.dataDir}'`,
        'max_connections = 200',
        'fsync = off',
        'full_page_writes = off',
        'shared_buffers = 128MB',
        '',
      ].join('\n'),
    );
    if (this.asRoot) chownSync(join(this.dataDir, 'postgresql.auto.conf'), ...postgresIds());
  }

  async start(): Promise<void> {
    await this.run('pg_ctl', ['-D', this.dataDir, '-l', join(this.dataDir, 'server.log'), '-w', '-t', '60', 'start']);
  }

  /** As a power cut would leave it for PostgreSQL: no checkpoint, crash recovery at the next start. */
  async stopImmediately(): Promise<void> {
    await this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
  }

  async stop(): Promise<void> {
    if (!existsSync(join(this.dataDir, 'postmaster.pid'))) return;
    await this.run('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  /** Asynchronously, so the run's own actors keep going while PostgreSQL stops and starts. */
  private async run(command: string, args: string[]): Promise<void> {
    const path = join(this.bin, command);
    if (this.asRoot) await run('runuser', ['-u', 'postgres', '--', path, ...args]);
    else await run(path, args);
  }
}

/** The newest installed server's binaries (Debian/Ubuntu layout), or PG_BIN_DIR. */
function postgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin/initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (set PG_BIN_DIR)');
  return join(root, versions[0], 'bin');
}

function postgresIds(): [number, number] {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return [uid, gid];
}
