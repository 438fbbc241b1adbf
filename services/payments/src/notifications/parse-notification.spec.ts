import { loadPayEgovFixture, payEgovCallbackFixtureNames } from '../../../../contracts/fixtures/pay-egov';
import { PaymentError } from '../payment-error';
import { decodeData, hmacMatches } from '../payment-system/egov-signature';
import { parseNotification } from './receive-notification.service';

describe('payment notifications as pay-egov sends them (fixtures)', () => {
  it.each(payEgovCallbackFixtureNames)('reads %s', (name) => {
    const { request } = loadPayEgovFixture(name);
    const form = new URLSearchParams(request.body);
    const notification = parseNotification(decodeData(form.get('Data')!));
    const data = request.dataJson as Record<string, string>;
    expect(notification.id).toBe(data.Id ?? data.id);
    expect(notification.changeTime).toEqual(new Date((data.ChangeTime ?? data.changeTime)!));
    expect(notification.status).toBe(String(data.Status ?? data.status).toLowerCase());
    // Signed fixtures verify with the client's secret; the 2024 Paid has no Hmac at all.
    const hmac = form.get('Hmac');
    if (hmac === null) expect(name).toBe('callback-2024-paid-unsigned');
    else expect(hmacMatches(form.get('Data')!, hmac, request.secret)).toBe(true);
  });

  it('reads PascalCase or camelCase keys, statuses by name in any case or number, times without an offset as Sofia time', () => {
    expect(parseNotification({ id: 2612061, STATUS: 'inProcess', changeTime: '2026-01-21T11:05:01.1234567' })).toEqual({
      id: '2612061',
      status: 'in_process',
      changeTime: new Date('2026-01-21T09:05:01.123Z'),
      rawStatus: 'inProcess',
    });
    expect(parseNotification({ Id: '2612061', Status: 4, ChangeTime: null }).status).toBe('paid');
  });

  it('refuses data it cannot act on', () => {
    for (const data of [
      undefined,
      [],
      { Status: 'Paid' },
      { Id: '../etc', Status: 'Paid' },
      { Id: '1', Status: 'Settled' },
      { Id: '1', Status: 8 },
      { Id: '1', Status: 'Paid', ChangeTime: '21.06.2022' },
    ]) {
      expect(() => parseNotification(data)).toThrow(PaymentError);
    }
  });
});
