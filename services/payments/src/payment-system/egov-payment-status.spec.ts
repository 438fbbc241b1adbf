import { parsePaymentStatus, paymentStatusCodes } from './egov-payment-status';

describe('payment system status codes', () => {
  it('maps the codes 1–7 and 9, and nothing to 8', () => {
    expect(Object.values(paymentStatusCodes).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 9]);
    expect(parsePaymentStatus(4)).toBe('paid');
    expect(parsePaymentStatus('2')).toBe('authorized');
    expect(parsePaymentStatus(9)).toBe('in_process');
    expect(parsePaymentStatus(8)).toBeUndefined();
    expect(parsePaymentStatus(0)).toBeUndefined();
  });

  it('reads the names the payment system uses', () => {
    expect(parsePaymentStatus('Paid')).toBe('paid');
    expect(parsePaymentStatus('InProcess')).toBe('in_process');
    expect(parsePaymentStatus('ORDERED')).toBe('ordered');
    expect(parsePaymentStatus('Settled')).toBeUndefined();
    expect(parsePaymentStatus(null)).toBeUndefined();
  });
});
