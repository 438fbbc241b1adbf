import { districts } from '@umg/catalogue';
import type { ApplicationStatistics } from '../applications/applications.client';
import { openDataCsv, openDataStatistics } from './open-data-statistics';

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
    expect(open.districts).toHaveLength(24);
    expect(open.districts[0]).toMatchObject({
      received: 40,
      open: 12,
      closed: 28,
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

  it('writes one RFC 4180 table with empty cells for suppressed values', () => {
    const lines = openDataCsv(openDataStatistics(figures())).split('\r\n');
    expect(lines[0]).toBe(
      'scope,code,name_bg,name_en,received,open,closed,overdue,payment_conversion,delivery_success',
    );
    expect(lines).toHaveLength(1 + 24 + 2 + 1);
    expect(lines[1]).toBe(
      `district,${districts[0]!.code},${districts[0]!.nameBg},${districts[0]!.nameEn},40,12,28,,0.9,`,
    );
    expect(lines[25]).toBe('service,2079,"Удостоверение за постоянен адрес, ""ново""",,42,14,28,,,');
    expect(lines.at(-1)).toBe('');
  });
});
