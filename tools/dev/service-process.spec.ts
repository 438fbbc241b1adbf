import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitedByCrash, offsetPorts, ServiceProcess, type SystemLayout } from './local-system';

// The supervisor of `npm start`, the tests, the bench and chaos, with real child processes: a
// service that stops when asked is never started again, whatever the order in which they die.

const dir = mkdtempSync(join(tmpdir(), 'umg-supervisor-'));
// Stands in for a service: lives until a signal; SIGINT and SIGTERM end it as Node does by default.
const script = join(dir, 'service.js');
writeFileSync(script, 'setInterval(() => {}, 1000);\n');

const layout: SystemLayout = { dataDir: dir, databaseUrl: 'postgres://nowhere', ...offsetPorts(9_000) };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const alive = (pid: number | undefined) => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};

async function started(): Promise<ServiceProcess> {
  const service = new ServiceProcess('payments', layout, { script, port: 1 });
  service.start();
  for (let i = 0; i < 50 && !service.pid; i++) await sleep(20);
  return service;
}

describe('service supervisor', () => {
  it('does not start again a service that got the terminal’s Ctrl-C before the runner stopped it', async () => {
    const service = await started();
    const pid = service.pid;
    // The terminal's SIGINT reaches every process of the group; this child dies first.
    process.kill(pid!, 'SIGINT');
    await sleep(1_500);
    expect(alive(pid)).toBe(false);
    expect(service.alive).toBe(false);
    expect(service.pid).toBe(pid);
    expect(service.restarts).toBe(0);
    await service.stop();
  });

  it('starts again a service that crashed, and a stop during the restart delay cancels the restart', async () => {
    const service = await started();
    const first = service.pid;
    process.kill(first!, 'SIGKILL');
    await sleep(1_500);
    expect(service.restarts).toBe(1);
    const second = service.pid;
    expect(second).not.toBe(first);
    expect(alive(second)).toBe(true);

    process.kill(second!, 'SIGKILL');
    await sleep(200);
    await service.stop(); // within the 1 s before the restart
    await sleep(1_300);
    expect(service.pid).toBe(second);
    expect(service.alive).toBe(false);
    expect(service.restarts).toBe(2);
  });

  it("starts each service with its heap bounds, then the layout's own flags", async () => {
    const reported = join(dir, 'exec-argv.json');
    const reporter = join(dir, 'report-argv.js');
    writeFileSync(
      reporter,
      `require('node:fs').writeFileSync(${JSON.stringify(reported)}, JSON.stringify(process.execArgv));\n`,
    );
    const service = new ServiceProcess(
      'delivery',
      { ...layout, serviceNodeArgs: ['--stack-size=900'] },
      { script: reporter, port: 1, restart: false },
    );
    service.start();
    for (let i = 0; i < 100 && !existsSync(reported); i++) await sleep(50);
    expect(JSON.parse(readFileSync(reported, 'utf8'))).toEqual([
      '--max-old-space-size=160',
      '--max-semi-space-size=8',
      '--stack-size=900',
    ]);
    await service.stop();
  });

  it('tells crashes from stops', () => {
    expect(exitedByCrash(null, 'SIGKILL')).toBe(true);
    expect(exitedByCrash(1, null)).toBe(true);
    expect(exitedByCrash(78, null)).toBe(true);
    expect(exitedByCrash(0, null)).toBe(false);
    expect(exitedByCrash(null, 'SIGINT')).toBe(false);
    expect(exitedByCrash(null, 'SIGTERM')).toBe(false);
  });
});
