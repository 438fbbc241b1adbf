import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnChild, stopChild } from '../../cli/supervision';

export interface EDeliverySimulatorProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts the e-delivery simulator (compiled, next to this file) as a child process and waits until it answers. */
export async function startEDeliverySimulator(
  port: number,
  logDir: string,
  settings: { receiptDelayMs: number; certificatesDir: string },
): Promise<EDeliverySimulatorProcess> {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, 'e-delivery-simulator.log'), { flags: 'a' });
  const child = spawnChild(process.execPath, [join(__dirname, 'main.js')], {
    env: {
      ...process.env,
      E_DELIVERY_SIM_PORT: String(port),
      E_DELIVERY_SIM_RECEIPT_DELAY_MS: String(settings.receiptDelayMs),
      E_DELIVERY_SIM_CERTIFICATES_DIR: settings.certificatesDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/_sim/behaviour`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopChild(child, 0);
      throw new Error(`the e-delivery simulator did not start on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: () => stopChild(child),
  };
}
