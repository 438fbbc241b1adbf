import { nextBackoffMs, sendsDue, sendsToStart, type PacingState } from './pacing';

describe('bench pacing', () => {
  it('spreads the offer evenly over the phase', () => {
    expect(sendsDue(0, 50)).toBe(0);
    expect(sendsDue(19, 50)).toBe(0);
    expect(sendsDue(20, 50)).toBe(1);
    expect(sendsDue(1_000, 50)).toBe(50);
    expect(sendsDue(300_000, 50)).toBe(15_000);
    expect(sendsDue(-5, 50)).toBe(0);
  });

  it('starts what is due without waiting for answers, within the in-flight bound', () => {
    const state: PacingState = { started: 0, skipped: 0, inFlight: 0 };
    const first = sendsToStart(state, 100, 100, 64); // 10 due
    expect(first).toBe(10);
    state.started += first;
    state.inFlight += first; // none answered yet: the next tick still sends
    const second = sendsToStart(state, 200, 100, 64);
    expect(second).toBe(10);
    state.started += second;
    state.inFlight += second;
    expect(sendsToStart(state, 200, 100, 64)).toBe(0); // nothing more due yet
  });

  it('skips what the bound refuses and never bursts to catch up', () => {
    const state: PacingState = { started: 0, skipped: 0, inFlight: 60 };
    expect(sendsToStart(state, 100, 100, 64)).toBe(4); // 10 due, room for 4
    state.started += 4;
    state.inFlight += 4;
    expect(state.skipped).toBe(6);
    state.inFlight = 0; // everything answered
    expect(sendsToStart(state, 200, 100, 64)).toBe(10); // only the next 10, not the 6 skipped
    expect(state.skipped).toBe(6);
  });

  it('lets an office ask again at once after work or a full long-poll, and backs off otherwise', () => {
    const wait = 20_000;
    expect(nextBackoffMs(0, { failed: false, pageSize: 3, tookMs: 5, waitMs: wait })).toBe(0);
    expect(nextBackoffMs(1_000, { failed: false, pageSize: 0, tookMs: 20_003, waitMs: wait })).toBe(0);
    // an empty page straight away: the feed did not wait, so the office does
    expect(nextBackoffMs(0, { failed: false, pageSize: 0, tookMs: 4, waitMs: wait })).toBe(250);
    expect(nextBackoffMs(250, { failed: false, pageSize: 0, tookMs: 4, waitMs: wait })).toBe(500);
    expect(nextBackoffMs(0, { failed: true, pageSize: 0, tookMs: 15_000, waitMs: wait })).toBe(250);
    expect(nextBackoffMs(6_000, { failed: true, pageSize: 0, tookMs: 1, waitMs: wait })).toBe(8_000);
    expect(nextBackoffMs(8_000, { failed: true, pageSize: 0, tookMs: 1, waitMs: wait })).toBe(8_000);
  });
});
