import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { KafkaConnection } from '@umg/messaging';
import type { OfferFigures } from './report';
import { forkChild } from '../cli/supervision';

/**
 * The bench's own helper processes (the portal load, the district offices, the HTTP load client)
 * and the messages they exchange with it: each runs its own event loop, so the bench's
 * bookkeeping, the load and the offices never slow one another down.
 */

/** Bench → portal load. */
export type PortalLoadCommand =
  | { type: 'start'; connection: KafkaConnection; eDeliveryUrl: string }
  | {
      type: 'offer';
      phase: string;
      perSecond: number;
      seconds: number;
      maxInFlight: number;
      /**
       * `portal`: the pilots' applications as e-delivery filings (as the portal really sends them), the
       * others on the Kafka seam; `kafka`: all on the Kafka seam, so that the load's own PDF making is
       * not the limit of an intake measurement.
       */
      channel: 'portal' | 'kafka';
      /** Districts that take every service (the pilots) and those onboarded for `services`. */
      pilots: string[];
      onboarded: string[];
      services: number[];
    }
  | { type: 'stop' };

/** Portal load → bench. */
export type PortalLoadEvent =
  | { type: 'ready' }
  /** Since the last batch: submissions accepted by the portal's channel, statuses seen, rejections. */
  | {
      type: 'events';
      submitted: [id: string, at: number][];
      statuses: [id: string, status: string, at: number][];
      rejected: string[];
    }
  | { type: 'offered'; offer: OfferFigures };

/** Bench → district offices. */
export type OfficesCommand =
  | { type: 'start'; gatewayUrl: string; districtCodes: string[]; pushDistricts: string[]; waitSeconds: number }
  | { type: 'stop' };

/** District offices → bench, every few seconds: what they did since they started. */
export interface OfficeStats {
  type: 'stats';
  feedRequests: number;
  emptyPages: number;
  backoffs: number;
  actions: number;
  failures: number;
  /** Failures by reason (an HTTP status and problem code, or the error's name and message). */
  failureReasons: Record<string, number>;
}

/**
 * A compiled helper of this folder (dist/tools/bench/<name>.js), forked with IPC; no preload, no
 * profiler; in a process group of its own that the bench stops (tools/cli/supervision).
 */
export function forkHelper(name: string): ChildProcess {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return forkChild(join(__dirname, `${name}.js`), [], {
    env,
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Waits for the first message of `type` from the child (or its exit, which fails). */
export function nextMessage<T extends { type: string }>(
  child: ChildProcess,
  type: T['type'],
  timeoutMs = 120_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: T) => {
      if (message?.type !== type) return;
      done();
      resolve(message);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`bench helper exited (${code}) before sending ${type}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`bench helper sent no ${type} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Asks a helper to stop, and ends it if it has not within `graceMs`. */
export async function stopHelper(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
