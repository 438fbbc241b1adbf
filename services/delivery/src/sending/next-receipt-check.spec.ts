import { nextReceiptCheck } from './check-receipt.service';

const config = { DELIVERY_RECEIPT_POLL_MS: 1_000, DELIVERY_RECEIPT_POLL_MAX_MS: 60_000 };
const sent = new Date('2026-12-01T10:00:00Z');
const at = (secondsAfterSending: number) => sent.getTime() + secondsAfterSending * 1000;
const farDeadline = new Date(at(86_400));

describe('nextReceiptCheck', () => {
  it('asks again after the first wait soon after sending', () => {
    expect(nextReceiptCheck(sent, farDeadline, config, at(0.5)).getTime()).toBe(at(1.5));
  });

  it('waits half the time since sending once that is longer', () => {
    expect(nextReceiptCheck(sent, farDeadline, config, at(10)).getTime()).toBe(at(15));
  });

  it('never waits longer than the longest wait', () => {
    expect(nextReceiptCheck(sent, farDeadline, config, at(3_600)).getTime()).toBe(at(3_660));
  });

  it('never asks after the receipt deadline', () => {
    const deadline = new Date(at(12));
    expect(nextReceiptCheck(sent, deadline, config, at(10)).getTime()).toBe(deadline.getTime());
  });

  it('asks about an unread message about once per longest wait, not once per first wait', () => {
    let now = at(0);
    let checks = 0;
    while (now < at(86_400)) {
      now = nextReceiptCheck(sent, farDeadline, config, now).getTime();
      checks += 1;
    }
    // A day is 86,400 first waits; at one check a minute once the waits have grown, about 1,440.
    expect(checks).toBeGreaterThan(1_400);
    expect(checks).toBeLessThan(1_460);
  });
});
