import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnChild, stopChild } from '../../cli/supervision';

/**
 * Starts the test collector (compiled, next to this file) as a child process, since the test run
 * blocks its own event loop while jest runs, and waits until it answers.
 */
export async function startOtlpCollector(
  port: number,
  logDir: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, 'otlp-collector.log'), { flags: 'a' });
  const child = spawnChild(process.execPath, [join(__dirname, 'main.js')], {
    env: { ...process.env, OTLP_COLLECTOR_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const answered = await fetch(`${url}/spans`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) break;
    if (child.exitCode !== null || attempt > 100) {
      await stopChild(child, 0);
      throw new Error(`the OTLP collector did not start on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: () => stopChild(child),
  };
}
