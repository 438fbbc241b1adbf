import { createHash } from 'node:crypto';
import type { ApplicationSubmitted } from '@umg/contracts';
import { findCatalogueService, findDistrict, type CatalogueService } from '@umg/catalogue';
import { feeDue } from '../lifecycle/fee-policy';
import type { Offering } from './service-offerings';

export interface RejectionReason {
  code: string;
  message: string;
  field?: string;
}

/** Media types the districts' back offices accept as attachments. */
export const acceptedAttachmentTypes = new Set([
  'application/pdf',
  'image/jpeg',
  'image/png',
  'application/xml',
  'application/pkcs7-mime',
  'application/vnd.etsi.asic-e+zip',
]);

/**
 * The checks a well-formed submission must pass before it becomes an application: a known
 * district and service, the service enabled in that district at the urgency asked for with a
 * known fee (zero is a fee; unknown is not free), and attachments whose declared size and SHA-256
 * match their content. Answers the attachments' contents too, decoded once here for storing.
 */
export function checkSubmission(
  submission: ApplicationSubmitted,
  offering: Offering,
): { reasons: RejectionReason[]; service?: CatalogueService; contents: Buffer[] } {
  const reasons: RejectionReason[] = [];
  const district = findDistrict(submission.districtCode);
  const service = findCatalogueService(submission.serviceNumber);
  if (!district) {
    reasons.push({
      code: 'unknown_district',
      field: 'districtCode',
      message: `no district "${submission.districtCode}"`,
    });
  }
  if (!service) {
    reasons.push({
      code: 'unknown_service',
      field: 'serviceNumber',
      message: `no service with number ${submission.serviceNumber}`,
    });
  }
  if (district && service) {
    if (offering.kind === 'not_enabled' || offering.kind === 'unknown') {
      reasons.push({
        code: 'service_not_enabled',
        field: 'serviceNumber',
        message: `service ${service.serviceNumber} is not offered electronically by ${district.nameEn}`,
      });
    } else if (offering.kind === 'district_not_accepting') {
      reasons.push({
        code: 'district_not_accepting',
        field: 'districtCode',
        message: `${district.nameEn} does not accept electronic applications now (${offering.phase})`,
      });
    } else if (!offering.urgencies.includes(submission.urgency)) {
      reasons.push({
        code: 'urgency_not_offered',
        field: 'urgency',
        message: `service ${service.serviceNumber} is not offered at urgency "${submission.urgency}"`,
      });
    } else if (feeDue(service.serviceNumber, submission.urgency) === 'unknown') {
      // Refused at intake, before the district or the applicant is told it was accepted: an
      // unknown fee is never charged as free, and no fee can be asked for that nobody can source.
      reasons.push({
        code: 'fee_unknown',
        field: 'urgency',
        message: `the fee of service ${service.serviceNumber} at urgency "${submission.urgency}" is not known yet`,
      });
    }
  }
  if (submission.deliveryChannel === 'e_delivery' && !submission.eDeliveryProfileId) {
    reasons.push({
      code: 'e_delivery_profile_missing',
      field: 'eDeliveryProfileId',
      message: 'delivery through e-delivery needs the applicant’s profile id',
    });
  }
  const seen = new Set<string>();
  const contents: Buffer[] = [];
  submission.attachments.forEach((attachment, index) => {
    const field = `attachments[${index}]`;
    if (seen.has(attachment.attachmentId)) {
      reasons.push({ code: 'duplicate_attachment', field, message: 'attachment ids must be unique' });
    }
    seen.add(attachment.attachmentId);
    if (!acceptedAttachmentTypes.has(attachment.mediaType)) {
      reasons.push({
        code: 'attachment_type_not_allowed',
        field: `${field}.mediaType`,
        message: `media type ${attachment.mediaType} is not accepted`,
      });
    }
    const content = Buffer.from(attachment.contentBase64, 'base64');
    contents.push(content);
    if (content.length !== attachment.size) {
      reasons.push({
        code: 'attachment_size_mismatch',
        field: `${field}.size`,
        message: `declared ${attachment.size} bytes, content has ${content.length}`,
      });
    } else if (createHash('sha256').update(content).digest('hex') !== attachment.sha256) {
      reasons.push({
        code: 'attachment_checksum_mismatch',
        field: `${field}.sha256`,
        message: 'the SHA-256 of the content does not match the declared one',
      });
    }
  });
  return { reasons, service, contents };
}
