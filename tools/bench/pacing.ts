/**
 * Open-loop pacing for the portal load: sends are started on a schedule of their own (so a slow
 * answer does not slow the offer down, as a closed loop would), with a bound on how many may be in
 * flight; a send the bound refuses is counted as skipped, so the offered and achieved rates differ.
 */

/** How many sends should have been started `elapsedMs` into a phase offered at `perSecond`. */
export function sendsDue(elapsedMs: number, perSecond: number): number {
  return Math.floor((Math.max(0, elapsedMs) / 1000) * perSecond);
}

export interface PacingState {
  /** Sends started so far. */
  started: number;
  /** Sends due but refused because `maxInFlight` were in flight. */
  skipped: number;
  inFlight: number;
}

/**
 * One tick of the schedule: how many sends to start now. The schedule's due count is owed to the
 * sends started and the ones skipped, so a stall is never made up with a burst.
 */
export function sendsToStart(state: PacingState, elapsedMs: number, perSecond: number, maxInFlight: number): number {
  const owed = sendsDue(elapsedMs, perSecond) - state.started - state.skipped;
  if (owed <= 0) return 0;
  const room = Math.max(0, maxInFlight - state.inFlight);
  const start = Math.min(owed, room);
  state.skipped += owed - start;
  return start;
}

/**
 * How long a district office waits before its next long-poll of the changes feed: nothing after a
 * page with changes or a poll that waited its full time (the feed itself paced it); after a
 * failure, or an empty page that came back early (a feed not honouring `wait`), from `baseMs`
 * doubling up to `maxMs` — so an office never asks in a tight loop.
 */
export function nextBackoffMs(
  previousMs: number,
  outcome: { failed: boolean; pageSize: number; tookMs: number; waitMs: number },
  baseMs = 250,
  maxMs = 8_000,
): number {
  const early = outcome.pageSize === 0 && outcome.tookMs < outcome.waitMs / 2;
  if (!outcome.failed && !early) return 0;
  return Math.min(maxMs, previousMs > 0 ? previousMs * 2 : baseMs);
}
