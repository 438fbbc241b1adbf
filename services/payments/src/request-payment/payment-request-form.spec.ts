import type { ApplicationEvent } from '@umg/contracts';
import { egovFieldLimits, amountOnWire, paymentRequestForm } from './payment-request-form';

const event: ApplicationEvent = {
  applicationId: '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10',
  portalApplicationId: 'EGOV-2026-000123456',
  serviceReferenceNumber: '20260312-2016-000123',
  districtCode: 'serdika',
  serviceNumber: 2016,
  urgency: 'fast',
  status: 'awaiting_payment',
  previousStatus: 'registered',
  sequence: 4,
  occurredAt: '2026-03-12T10:15:00+02:00',
  actor: { kind: 'system', id: 'applications' },
  registrationNumber: 'СД-94-00-1234/12.03.2026',
  applicant: { identifierType: 'LNCH', identifier: '1001234567', name: 'Иван Петров Иванов' },
  deliveryChannel: 'e_delivery',
  eDeliveryProfileId: '104578',
};

const form = (overrides: Partial<ApplicationEvent> = {}) =>
  paymentRequestForm({
    aisPaymentId: 'SOF-05-0000000001',
    event: { ...event, ...overrides },
    fee: { amountMinor: 383, currency: 'EUR' },
    account: {
      providerName: 'Столична община – район „Сердика“',
      bankName: 'Общинска банка АД',
      bic: 'SOMBBGSF',
      iban: 'BG80BNBG96611020345678',
    },
    expiresAt: new Date('2026-03-19T10:15:00Z'),
    notificationUrl: 'https://umg.sofia.bg/v1/payment-notifications',
  });

describe('payment request in the payment system’s fields', () => {
  it('carries the fee in major units, the district as provider and the applicant', () => {
    expect(form()).toMatchObject({
      aisPaymentId: 'SOF-05-0000000001',
      serviceProviderIBAN: 'BG80BNBG96611020345678',
      serviceProviderBIC: 'SOMBBGSF',
      currency: 'EUR',
      paymentAmount: 3.83,
      applicantUinTypeId: 2,
      applicantUin: '1001234567',
      paymentReferenceNumber: 'СД-94-00-1234/12.03.2026',
      expirationDate: '2026-03-19T10:15:00.000Z',
      administrativeServiceUri: '2016',
      administrativeServiceNotificationURL: 'https://umg.sofia.bg/v1/payment-notifications',
    });
    expect(form().paymentReason).toContain('2016');
  });

  it('keeps every field within its limit, cutting whole characters', () => {
    const long = form({
      registrationNumber: 'Щ'.repeat(64),
      serviceReferenceNumber: '😀'.repeat(64),
      applicant: { identifierType: 'EGN', identifier: '7501020018', name: 'Ж'.repeat(300) },
    });
    expect(long.paymentReason.length).toBeLessThanOrEqual(egovFieldLimits.paymentReason);
    expect(long.paymentReason.length).toBeGreaterThanOrEqual(egovFieldLimits.paymentReason - 1);
    expect(long.paymentReason).not.toMatch(/[\uD800-\uDBFF]$/);
    expect(long.applicantName).toHaveLength(egovFieldLimits.applicantName);
    expect(long.paymentReferenceNumber.length).toBeLessThanOrEqual(egovFieldLimits.paymentReferenceNumber);
    expect(long.applicantUinTypeId).toBe(1);
  });

  it('writes amounts as the payment system reads them, without binary fractions', () => {
    expect(JSON.stringify(amountOnWire(233))).toBe('2.33');
    expect(JSON.stringify(amountOnWire(500))).toBe('5');
    expect(JSON.stringify(amountOnWire(7))).toBe('0.07');
    expect(JSON.stringify(amountOnWire(1050))).toBe('10.5');
    expect(JSON.stringify(amountOnWire(123456789))).toBe('1234567.89');
    // Every cent amount up to 100 000 EUR prints with at most two decimals.
    for (let minor = 1; minor <= 10_000_000; minor += 997) {
      expect(String(amountOnWire(minor))).toMatch(/^\d+(\.\d{1,2})?$/);
    }
    expect(() => amountOnWire(0)).toThrow(RangeError);
    expect(() => amountOnWire(2.5)).toThrow(RangeError);
  });
});
