import { createHash, randomInt, randomUUID } from 'node:crypto';
import { catalogueGaps, catalogueServices, districts, type Urgency } from '@umg/catalogue';
import type { ApplicationSubmitted } from '@umg/contracts';
import { randomEgn } from './egn';

const firstNames = ['Иван', 'Мария', 'Георги', 'Елена', 'Димитър', 'Йорданка', 'Петър', 'Надежда'];
const lastNames = ['Иванов', 'Петрова', 'Георгиев', 'Димитрова', 'Николов', 'Стоянова', 'Тодоров'];

function pick<T>(list: readonly T[]): T {
  return list[randomInt(0, list.length)]!;
}

/** A small but real PDF, so checksums and media types are exercised for real. */
function samplePdf(text: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

export interface SubmissionOptions {
  districtCode?: string;
  serviceNumber?: number;
  urgency?: Urgency;
  attachments?: number;
}

/** A realistic portal submission for a pilot district's service, as the portal sends it. */
export function randomSubmission(options: SubmissionOptions = {}): ApplicationSubmitted {
  const districtCode = options.districtCode ?? pick(districts.filter((district) => district.pilot)).code;
  const service =
    catalogueServices.find((candidate) => candidate.serviceNumber === options.serviceNumber) ??
    // Only services a district can offer: one with a catalogue gap (unknown term or fee) is never enabled.
    pick(catalogueServices.filter((candidate) => catalogueGaps(candidate).length === 0));
  const urgency = options.urgency ?? pick(service.urgencies).urgency;
  const portalApplicationId = `EGOV-${randomUUID()}`;
  const attachments = Array.from({ length: options.attachments ?? 1 }, (_, index) => {
    const content = samplePdf(`${portalApplicationId} attachment ${index + 1}`);
    return {
      attachmentId: `ATT-${index + 1}`,
      fileName: `declaration-${index + 1}.pdf`,
      mediaType: 'application/pdf',
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      contentBase64: content.toString('base64'),
    };
  });
  return {
    portalApplicationId,
    serviceReferenceNumber: `${new Date().getFullYear()}-${randomInt(100000, 999999)}-${randomInt(1000, 9999)}`,
    serviceNumber: service.serviceNumber,
    districtCode,
    urgency,
    applicant: {
      identifierType: 'EGN',
      identifier: randomEgn(),
      name: `${pick(firstNames)} ${pick(lastNames)}`,
    },
    deliveryChannel: 'e_delivery',
    eDeliveryProfileId: randomUUID(),
    formData: { purpose: 'Да послужи пред работодател', copies: 1 },
    attachments,
    submittedAt: new Date().toISOString(),
  };
}
