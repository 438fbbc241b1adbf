import type { DeliveryEntity } from '../delivery/delivery.entity';
import { noticeMessage } from './notice-message';
import { feedbackToken } from '@umg/contracts';
import { feedbackLink } from './feedback-link';

const delivery = (overrides: Partial<DeliveryEntity> = {}) =>
  ({
    id: '9b2e4c1a-7d3f-4e5a-8c6b-1a2d3e4f5a6b',
    districtCode: 'nadezhda',
    noticeKind: 'registration_notice',
    serviceReferenceNumber: '20260312-2016-000123',
    serviceNumber: 2016,
    registrationNumber: 'НД-94-00-1234/12.03.2026',
    reasons: null,
    ...overrides,
  }) as DeliveryEntity;

describe('noticeMessage', () => {
  it('carries the РНУ, the service number and the district, and the notice as a document numbered with the delivery id', () => {
    const message = noticeMessage(delivery(), [], 'Столична община');

    expect(message.title).toBe('Входящ номер на заявлението Ви, РНУ 20260312-2016-000123');
    expect(message.text).toContain('НД-94-00-1234/12.03.2026');
    expect(message.text).toContain('Столична община — район „Надежда“');
    expect(message.text).toContain('услуга № 2016');
    expect(message.documents).toHaveLength(1);
    expect(message.documents[0]).toMatchObject({
      name: 'registration-notice-20260312-2016-000123.txt',
      registrationNumber: '9b2e4c1a-7d3f-4e5a-8c6b-1a2d3e4f5a6b',
    });
    expect(message.documents[0]!.content.toString('utf8')).toBe(message.text);
  });

  it('tells the fee, the payment system’s request, the access code and until when, in Bulgarian', () => {
    const message = noticeMessage(
      delivery({
        noticeKind: 'payment_notice',
        payment: {
          amountMinor: 256,
          currency: 'EUR',
          paymentSystemId: '2612061',
          accessCode: 'K7QX3M9PLA',
          expiresAt: '2026-12-13T10:00:00.000Z',
        },
      }),
      [],
      'Столична община',
    );
    expect(message.title).toBe('Такса за услугата, РНУ 20260312-2016-000123');
    expect(message.text).toContain('дължите такса 2,56 EUR');
    expect(message.text).toContain('до 13.12.2026');
    expect(message.text).toContain('pay.egov.bg');
    expect(message.text).toContain('код за достъп K7QX3M9PLA');
    expect(message.text).toContain('заявка за плащане № 2612061');
    expect(message.documents[0]!.name).toBe('payment-notice-20260312-2016-000123.txt');
  });

  it('puts the feedback link in the result notice only, one link whose token is the application’s', () => {
    const config = { FEEDBACK_PUBLIC_URL: 'https://umg.sofia.bg/', FEEDBACK_TOKEN_SECRET: 'x'.repeat(32) };
    const link = feedbackLink(config, '0b5c6a52-5d8e-4a7e-9a55-2f0c7d1e3b4a');
    expect(link).toBe(
      `https://umg.sofia.bg/feedback/${feedbackToken(config.FEEDBACK_TOKEN_SECRET, '0b5c6a52-5d8e-4a7e-9a55-2f0c7d1e3b4a')}`,
    );
    expect(link).not.toBe(feedbackLink(config, '1b5c6a52-5d8e-4a7e-9a55-2f0c7d1e3b4a'));
    const result = noticeMessage(delivery({ noticeKind: 'result' }), [], 'Столична община', link);
    expect(result.text.match(/https:\/\/\S+/g)).toEqual([link]);
    expect(result.documents[0]!.content.toString('utf8')).toContain(link);
    const registration = noticeMessage(delivery(), [], 'Столична община');
    expect(registration.text).not.toContain('/feedback/');
  });

  it('lists the reasons of a return for corrections and of a refusal', () => {
    const reasons = [{ message: 'Липсва пълномощно.' }, { message: 'Непълни данни.' }];
    for (const noticeKind of ['correction_notice', 'refusal'] as const) {
      const message = noticeMessage(delivery({ noticeKind, reasons }), [], 'Столична община');
      expect(message.text).toContain('- Липсва пълномощно.\n- Непълни данни.');
    }
  });

  it('attaches the result documents after the notice, each with its own number', () => {
    const pdf = { fileName: 'result.pdf', mediaType: 'application/pdf', content: Buffer.from('%PDF-1.7') };
    const message = noticeMessage(delivery({ noticeKind: 'result' }), [pdf, { ...pdf, fileName: 'r2.pdf' }], 'СО');

    expect(message.title).toContain('Резултат');
    expect(message.documents.map((document) => [document.name, document.registrationNumber])).toEqual([
      ['result-20260312-2016-000123.txt', '9b2e4c1a-7d3f-4e5a-8c6b-1a2d3e4f5a6b'],
      ['result.pdf', '9b2e4c1a-7d3f-4e5a-8c6b-1a2d3e4f5a6b-1'],
      ['r2.pdf', '9b2e4c1a-7d3f-4e5a-8c6b-1a2d3e4f5a6b-2'],
    ]);
  });
});
