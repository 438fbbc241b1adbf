import type { ApplicationEvent } from '@umg/contracts';
import { egovFieldLimits, paymentRequestForm } from './payment-request-form';

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
      districtCode: 'serdika',
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
      AisPaymentId: 'SOF-05-0000000001',
      ServiceProviderIBAN: 'BG80BNBG96611020345678',
      ServiceProviderBIC: 'SOMBBGSF',
      Currency: 'EUR',
      PaymentAmount: 3.83,
      ApplicantUinTypeId: 2,
      ApplicantUin: '1001234567',
      PaymentReferenceNumber: 'СД-94-00-1234/12.03.2026',
      ExpirationDate: '2026-03-19T10:15:00.000Z',
      AdministrativeServiceUri: '2016',
      AdministrativeServiceNotificationURL: 'https://umg.sofia.bg/v1/payment-notifications',
    });
    expect(form().PaymentReason).toContain('2016');
  });

  it('keeps every field within its limit, cutting whole characters', () => {
    const long = form({
      registrationNumber: 'Щ'.repeat(64),
      serviceReferenceNumber: '😀'.repeat(64),
      applicant: { identifierType: 'EGN', identifier: '7501020018', name: 'Ж'.repeat(300) },
    });
    expect(long.PaymentReason.length).toBeLessThanOrEqual(egovFieldLimits.PaymentReason);
    expect(long.PaymentReason.length).toBeGreaterThanOrEqual(egovFieldLimits.PaymentReason - 1);
    expect(long.PaymentReason).not.toMatch(/[\uD800-\uDBFF]$/);
    expect(long.ApplicantName).toHaveLength(egovFieldLimits.ApplicantName);
    expect(long.PaymentReferenceNumber.length).toBeLessThanOrEqual(egovFieldLimits.PaymentReferenceNumber);
    expect(long.ApplicantUinTypeId).toBe(1);
  });
});
