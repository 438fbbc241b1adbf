import type { DeliveryEntity } from '../delivery/delivery.entity';
import { noticeMessage } from './notice-message';

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
  it('carries the РНУ, the service number and the district as sender, keyed by the delivery id', () => {
    const message = noticeMessage(delivery(), '104578', [], 'Столична община');

    expect(message).toMatchObject({
      recipientProfileIds: ['104578'],
      rnu: '20260312-2016-000123',
      serviceNumber: 2016,
      additionalIdentifier: '9b2e4c1a-7d3f-4e5a-8c6b-1a2d3e4f5a6b',
      sender: { identifier: 'nadezhda' },
      fields: { serviceReferenceNumber: '20260312-2016-000123', serviceNumber: '2016', districtCode: 'nadezhda' },
    });
    expect(message.sender.name).toBe('Столична община — район „Надежда“');
    expect(message.body).toContain('НД-94-00-1234/12.03.2026');
  });

  it('lists the reasons of a return for corrections and of a refusal', () => {
    const reasons = [{ message: 'Липсва пълномощно.' }, { message: 'Непълни данни.' }];
    for (const noticeKind of ['correction_notice', 'refusal'] as const) {
      const message = noticeMessage(delivery({ noticeKind, reasons }), '104578', [], 'Столична община');
      expect(message.body).toContain('- Липсва пълномощно.\n- Непълни данни.');
    }
  });

  it('attaches the uploaded blobs to the result', () => {
    const message = noticeMessage(delivery({ noticeKind: 'result' }), '104578', ['blob-1', 'blob-2'], 'СО');
    expect(message.blobIds).toEqual(['blob-1', 'blob-2']);
    expect(message.subject).toContain('Резултат');
  });
});
