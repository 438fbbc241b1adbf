import { districts } from '@umg/catalogue';
import type { ApplicationStatistics } from '../applications/applications.client';
import { openDataCsv, openDataStatistics, suppressed } from './open-data-statistics';

function figures(): ApplicationStatistics {
  return {
    generatedAt: '2026-11-27T08:00:00.000Z',
    atRiskWorkingDays: 2,
    districts: districts.map((district, index) => ({
      districtCode: district.code,
      total: index === 0 ? 40 : index === 1 ? 3 : 0,
      byStatus: {},
      funnel: { received: 0, registered: 0, paid: 0, inProgress: 0, resultReady: 0, delivered: 0 },
      open: index === 0 ? 12 : index === 1 ? 3 : 0,
      atRisk: 0,
      overdue: index === 0 ? 2 : 0,
      payments: { requested: index === 0 ? 30 : 0, paid: index === 0 ? 27 : 0, conversion: null },
      deliveries: { sent: index === 0 ? 20 : 0, delivered: index === 0 ? 4 : 0, success: null },
      deadLetters: 0,
    })),
    services: [
      {
        serviceNumber: 2109,
        serviceName: 'Удостоверение за семейно положение',
        total: 1,
        open: 1,
        overdue: 0,
        closed: 0,
      },
      {
        serviceNumber: 2079,
        serviceName: 'Удостоверение за постоянен адрес, "ново"',
        total: 42,
        open: 14,
        overdue: 2,
        closed: 28,
      },
    ],
    timeline: [],
  };
}

describe('open-data statistics', () => {
  it('publishes counts from 1 to 4 as null and zero as zero', () => {
    const open = openDataStatistics(figures());
    expect(open.suppressionThreshold).toBe(5);
    expect(open.roundingBase).toBe(5);
    expect(open.districts).toHaveLength(24);
    expect(open.districts[0]).toMatchObject({
      received: 40,
      open: 10,
      closed: 25,
      overdue: null,
      paymentConversion: 0.9,
    });
    expect(open.districts[1]).toMatchObject({ received: null, open: null, closed: 0, paymentConversion: null });
    expect(open.districts[2]).toMatchObject({ received: 0, open: 0, closed: 0, overdue: 0 });
  });

  it('leaves out a rate whose numerator is suppressed', () => {
    expect(openDataStatistics(figures()).districts[0]!.deliverySuccess).toBeNull();
  });

  it('lists services by number, without applicants', () => {
    const open = openDataStatistics(figures());
    expect(open.services.map((service) => service.serviceNumber)).toEqual([2079, 2109]);
    expect(open.services[1]).toMatchObject({ received: null, open: null, closed: 0 });
  });

  it('writes one RFC 4180 table with empty cells for suppressed values, after a UTF-8 BOM', () => {
    const csv = openDataCsv(openDataStatistics(figures()));
    expect(csv.startsWith('\ufeff')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'scope,code,name_bg,name_en,received,open,closed,overdue,payment_conversion,delivery_success',
    );
    expect(lines).toHaveLength(1 + 24 + 2 + 1);
    expect(lines[1]).toBe(
      `district,${districts[0]!.code},${districts[0]!.nameBg},${districts[0]!.nameEn},40,10,25,,0.9,`,
    );
    expect(lines[25]).toBe('service,2079,"Удостоверение за постоянен адрес, ""ново""",,40,10,25,,,');
    expect(lines.at(-1)).toBe('');
  });
});

type Publish = (count: number) => number | null;

/** Suppression as it was: small counts hidden, the rest exact. */
const exactButSuppressed: Publish = (count) => (count > 0 && count < 5 ? null : count);

/**
 * For a hidden cell `hidden` (1–4) and a public cell `other` that, added together, make a third
 * published cell (received = open + closed; a column total = one row + the rest): another hidden
 * value that publishes the very same figures, so the reader cannot tell which one is true.
 */
function anotherWorld(publish: Publish, hidden: number, other: number): boolean {
  for (let hiddenElsewhere = 1; hiddenElsewhere <= 4; hiddenElsewhere++) {
    if (hiddenElsewhere === hidden) continue;
    for (let otherElsewhere = Math.max(0, other - 10); otherElsewhere <= other + 10; otherElsewhere++) {
      if (
        publish(otherElsewhere) === publish(other) &&
        publish(otherElsewhere + hiddenElsewhere) === publish(other + hidden)
      ) {
        return true;
      }
    }
  }
  return false;
}

describe('suppressed cells cannot be computed back (security review F14)', () => {
  it('two hidden parts of 4: 8 received once told both; now it reads like 5, 6 or 7', () => {
    const row = openDataStatistics({
      ...figures(),
      districts: [{ ...figures().districts[0]!, total: 8, open: 4, overdue: 0 }],
    }).districts[0]!;
    expect(row).toMatchObject({ received: 5, open: null, closed: null });
  });

  it('the review’s case: received 6, open 5 once gave closed = 1 by subtraction; now 5 − 5 says nothing', () => {
    const row = openDataStatistics({
      ...figures(),
      districts: [{ ...figures().districts[0]!, total: 6, open: 5, overdue: 0 }],
    }).districts[0]!;
    expect(row).toMatchObject({ received: 5, open: 5, closed: null });
  });

  it('every hidden closed count (1–4) has another value that publishes the same row', () => {
    for (let open = 0; open <= 300; open++) {
      for (let closed = 1; closed <= 4; closed++) {
        expect([open, closed, anotherWorld(suppressed, closed, open)]).toEqual([open, closed, true]);
      }
    }
  });

  it('a hidden cell is not the difference of a column total and its public rows either', () => {
    // One row hidden, the rest of the column (any size) public; the service rows add up to the same total.
    for (let rest = 5; rest <= 1000; rest++) {
      for (let hidden = 1; hidden <= 4; hidden++)
        expect([rest, hidden, anotherWorld(suppressed, hidden, rest)]).toEqual([rest, hidden, true]);
    }
  });

  it('the check can fail: with exact counts a hidden cell is always recovered', () => {
    for (let other = 5; other <= 300; other++) {
      for (let hidden = 1; hidden <= 4; hidden++) expect(anotherWorld(exactButSuppressed, hidden, other)).toBe(false);
    }
  });
});
