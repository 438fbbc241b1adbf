import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformFileSync } from '@swc/core';

// A runner built on the shared supervision, as real processes: the runner starts a child that
// listens on a port and starts a grandchild that listens on another, then the test signals the
// runner's whole process group as a terminal's Ctrl-C does. Afterwards no process and no
// listening port may remain, whatever died first.

const dir = mkdtempSync(join(tmpdir(), 'umg-supervision-'));
writeFileSync(
  join(dir, 'supervision.js'),
  transformFileSync(join(__dirname, 'supervision.ts'), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  }).code,
);
// The child: a server, and a grandchild with a server of its own; IGNORE_TERM=1 makes it deaf to
// SIGTERM and SIGINT (a child stuck in its shutdown), so only the runner's SIGKILL ends it.
writeFileSync(
  join(dir, 'grandchild.js'),
  `const server = require('node:net').createServer().listen(0, '127.0.0.1', () => console.log(server.address().port));
setInterval(() => {}, 1000);
`,
);
writeFileSync(
  join(dir, 'child.js'),
  `
const net = require('node:net');
const { spawn } = require('node:child_process');
if (process.env.IGNORE_TERM === '1') for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => {});
const grandchild = spawn(process.execPath, [require('node:path').join(__dirname, 'grandchild.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
grandchild.stdout.once('data', (data) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    console.log(JSON.stringify({ child: process.pid, grandchild: grandchild.pid, ports: [server.address().port, Number(String(data).trim())] }));
  });
});
setInterval(() => {}, 1000);
`,
);
writeFileSync(
  join(dir, 'runner.js'),
  `
const { Runner, spawnChild, stopChild } = require('./supervision.js');
new Runner({ graceMs: 10000, say: () => {} }).run(async (runner) => {
  const child = spawnChild(process.execPath, [require('node:path').join(__dirname, 'child.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  runner.onStop('the child', () => stopChild(child, 500));
  child.stdout.once('data', (data) => process.stdout.write(JSON.stringify({ runner: process.pid, ...JSON.parse(String(data)) }) + '\\n'));
  // A runner's own work (a timer here) keeps it alive after its child is gone.
  setInterval(() => {}, 1000);
  return new Promise(() => {});
});
`,
);

interface Started {
  process: ChildProcess;
  runner: number;
  child: number;
  grandchild: number;
  ports: number[];
}

/** The runner as a terminal starts a job: the leader of a process group of its own. */
async function startRunner(env: Record<string, string> = {}): Promise<Started> {
  const runner = spawn(process.execPath, [join(dir, 'runner.js')], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const line = await new Promise<string>((resolve, reject) => {
    runner.stdout.once('data', (data) => resolve(String(data)));
    runner.once('exit', (code) => reject(new Error(`runner exited (${code}) before it was up`)));
  });
  return { process: runner, ...(JSON.parse(line) as Omit<Started, 'process'>) };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Gone, or a zombie nobody reaped yet (it holds no port and runs nothing). */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0] === 'Z';
  } catch {
    return true;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function expectNothingLeft(started: Started): Promise<void> {
  const pids = [started.runner, started.child, started.grandchild];
  for (let i = 0; i < 50 && !pids.every(gone); i++) await sleep(100);
  expect(pids.filter((pid) => !gone(pid))).toEqual([]);
  for (const port of started.ports) expect(await listening(port)).toBe(false);
}

describe('a runner stopped by a signal', () => {
  let started: Started | undefined;
  afterEach(() => {
    // A failed test must not leave its processes behind either.
    for (const pid of [started?.child, started?.grandchild, started?.runner]) {
      try {
        if (pid) process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    started = undefined;
  });

  it('Ctrl-C to its process group: child and grandchild stopped, ports freed, exit 130', async () => {
    started = await startRunner();
    for (const port of started.ports) expect(await listening(port)).toBe(true);
    process.kill(-started.runner, 'SIGINT');
    expect(await exitOf(started.process)).toEqual({ code: 130, signal: null });
    await expectNothingLeft(started);
  });

  it('a child that died first (its grandchild still running) is cleaned up too', async () => {
    started = await startRunner();
    // The child dies before the runner hears anything; the grandchild it started lives on.
    process.kill(started.child, 'SIGINT');
    await sleep(300);
    expect(gone(started.child)).toBe(true);
    expect(gone(started.grandchild)).toBe(false);
    process.kill(-started.runner, 'SIGINT');
    expect(await exitOf(started.process)).toEqual({ code: 130, signal: null });
    await expectNothingLeft(started);
  });

  it('SIGTERM to the runner alone, a child deaf to it: killed after the grace time, exit 143', async () => {
    started = await startRunner({ IGNORE_TERM: '1' });
    process.kill(started.runner, 'SIGTERM');
    expect(await exitOf(started.process)).toEqual({ code: 143, signal: null });
    await expectNothingLeft(started);
  });

  it('SIGHUP (the terminal closed): exit 129, nothing left', async () => {
    started = await startRunner();
    process.kill(started.runner, 'SIGHUP');
    expect(await exitOf(started.process)).toEqual({ code: 129, signal: null });
    await expectNothingLeft(started);
  });
});
