import { request as httpRequest } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request with node:http, so the attacker can choose the source address (a second
 * "machine" on loopback: 127.0.0.2) and read streams; fetch can do neither.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; sourceAddress?: string },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ...(options.sourceAddress ? { localAddress: options.sourceAddress } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** How a stream answered: when its first bytes came, and when (if ever) it ended. */
export interface StreamWatch {
  status: Promise<number>;
  firstData: Promise<void>;
  ended: Promise<number>;
  close(): void;
}

/** Opens a long-lived GET (server-sent events) and watches it. */
export function watchStream(url: string, headers: Record<string, string>): StreamWatch {
  let close = () => undefined as void;
  let resolveStatus!: (status: number) => void;
  let resolveFirst!: () => void;
  let resolveEnded!: (at: number) => void;
  const status = new Promise<number>((resolve) => (resolveStatus = resolve));
  const firstData = new Promise<void>((resolve) => (resolveFirst = resolve));
  const ended = new Promise<number>((resolve) => (resolveEnded = resolve));
  const request = httpRequest(url, { headers }, (response) => {
    resolveStatus(response.statusCode ?? 0);
    response.on('data', () => resolveFirst());
    response.on('end', () => resolveEnded(Date.now()));
    response.on('close', () => resolveEnded(Date.now()));
  });
  request.on('error', () => {
    resolveStatus(0);
    resolveEnded(Date.now());
  });
  request.end();
  close = () => void request.destroy();
  return { status, firstData, ended, close };
}

/** Measures the slowest answer of a cheap endpoint polled every `everyMs` while `work` runs: event-loop stalls show here. */
export async function slowestAnswerDuring<T>(
  probeUrl: string,
  everyMs: number,
  work: () => Promise<T>,
): Promise<{ result: T; slowestMs: number }> {
  let running = true;
  let slowestMs = 0;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(probeUrl, { signal: AbortSignal.timeout(30_000) })
        .then((response) => response.arrayBuffer())
        .catch(() => undefined);
      slowestMs = Math.max(slowestMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  try {
    const result = await work();
    return { result, slowestMs };
  } finally {
    running = false;
    await probe;
  }
}
