import { findDistrict } from '@umg/catalogue';
import { DistrictApiError, DistrictPullClient } from '../simulators/district-pull/district-pull-client';
import type { OfficeStats, OfficesCommand } from './children';
import { nextBackoffMs } from './pacing';

/**
 * The district offices, in a process of their own (forked by the bench): each follows its
 * district's changes feed (long-poll) and does the work the changes call for — registers, processes
 * and answers with a result — as busy offices would; it backs off after failures and after empty
 * pages that came back early, so an idle office costs one request per long-poll.
 */
const stats: OfficeStats = {
  type: 'stats',
  feedRequests: 0,
  emptyPages: 0,
  backoffs: 0,
  actions: 0,
  failures: 0,
  failureReasons: {},
};

/** A failure's reason, coarse enough to be counted: a failing office must say why in the report. */
function reasonOf(error: unknown): string {
  if (error instanceof DistrictApiError) return `HTTP ${error.status}${error.code ? ` ${error.code}` : ''}`;
  if (error instanceof Error) return `${error.name}: ${error.message.slice(0, 80)}`;
  return String(error).slice(0, 80);
}
let running = true;

async function follow(gatewayUrl: string, code: string, registerRouted: boolean, waitSeconds: number): Promise<void> {
  const district = findDistrict(code)!;
  const client = new DistrictPullClient({
    gatewayUrl,
    apiKey: `bench-key-${code}-0001`,
    registrationPrefix: `B${district.no}`,
    processToResult: true,
    registerRouted,
    concurrency: 8,
  });
  let backoffMs = 0;
  while (running) {
    const begin = Date.now();
    stats.feedRequests += 1;
    const failed = await client.followChanges(waitSeconds).then(
      (done) => {
        stats.actions += done.length;
        return false;
      },
      (error: unknown) => {
        const reason = reasonOf(error);
        stats.failureReasons[reason] = (stats.failureReasons[reason] ?? 0) + 1;
        return true;
      },
    );
    if (failed) stats.failures += 1;
    else if (client.lastPageSize === 0) stats.emptyPages += 1;
    backoffMs = nextBackoffMs(backoffMs, {
      failed,
      pageSize: failed ? 0 : client.lastPageSize,
      tookMs: Date.now() - begin,
      waitMs: waitSeconds * 1000,
    });
    if (backoffMs > 0) {
      stats.backoffs += 1;
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
    }
  }
}

process.on('message', (command: OfficesCommand) => {
  if (command.type === 'start') {
    const push = new Set(command.pushDistricts);
    for (const code of command.districtCodes) {
      void follow(command.gatewayUrl, code, !push.has(code), command.waitSeconds);
    }
    setInterval(() => process.send?.(stats), 2_000);
  } else if (command.type === 'stop') {
    // Long-polls may be waiting for up to their `wait`: nothing of the offices' needs finishing.
    running = false;
    if (process.send) process.send(stats, () => process.exit(0));
    else process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
