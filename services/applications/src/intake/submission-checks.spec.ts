import { createHash } from 'node:crypto';
import type { ApplicationSubmitted } from '@umg/contracts';
import { checkSubmission } from './submission-checks';
import type { Offering } from './service-offerings';

function attachment(id: string, text: string): ApplicationSubmitted['attachments'][number] {
  const content = Buffer.from(text);
  return {
    attachmentId: id,
    fileName: `${id}.pdf`,
    mediaType: 'application/pdf',
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    contentBase64: content.toString('base64'),
  };
}

describe('submission checks', () => {
  const submission = (): ApplicationSubmitted => ({
    portalApplicationId: 'EGOV-1',
    serviceReferenceNumber: '2026-1',
    serviceNumber: 2016,
    districtCode: 'serdika',
    urgency: 'regular',
    applicant: { identifierType: 'EGN', identifier: '7501020018', name: 'Иван Петров' },
    deliveryChannel: 'desk',
    formData: {},
    attachments: [attachment('ATT-1', '%PDF-1.7 first'), attachment('ATT-2', '%PDF-1.7 second')],
    submittedAt: '2026-12-01T10:00:00Z',
  });
  const offered = (urgencies: ('regular' | 'fast' | 'express')[]): Offering => ({ kind: 'offered', urgencies });

  it('passes a good submission and answers its attachments decoded, in order, for storing', () => {
    const good = submission();
    const { reasons, service, contents } = checkSubmission(good, offered([good.urgency]));

    expect(reasons).toEqual([]);
    expect(service?.serviceNumber).toBe(2016);
    expect(contents.map((content) => createHash('sha256').update(content).digest('hex'))).toEqual(
      good.attachments.map((attachment) => attachment.sha256),
    );
  });

  it('refuses an attachment whose content does not match its SHA-256 or its size', () => {
    const bad = submission();
    bad.attachments[0]!.sha256 = '0'.repeat(64);
    bad.attachments[1]!.size += 1;
    const { reasons } = checkSubmission(bad, offered([bad.urgency]));

    expect(reasons.map((reason) => [reason.code, reason.field])).toEqual([
      ['attachment_checksum_mismatch', 'attachments[0].sha256'],
      ['attachment_size_mismatch', 'attachments[1].size'],
    ]);
  });
});
