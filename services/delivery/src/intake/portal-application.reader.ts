import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { ApplicationSubmitted } from '@umg/contracts';

export type AttachmentSignature = NonNullable<ApplicationSubmitted['attachments'][number]['signatures']>[number];

/** A document of a received e-delivery message, with its content and ССЕВ's verdict on its signatures. */
export interface ReceivedDocument {
  id: number;
  name: string;
  contentType: string | null;
  content: Buffer;
  signatures?: AttachmentSignature[];
}

export interface ReceivedMessage {
  messageId: number;
  title: string;
  dateSent: Date | null;
  /** The sender's profile in ССЕВ: the applicant's, since the portal sends on their behalf. */
  senderProfileId?: string | null;
  documents: ReceivedDocument[];
}

export type ReadOutcome =
  | { kind: 'application'; submission: ApplicationSubmitted }
  | { kind: 'unreadable'; code: 'not_an_application' | 'no_service_request' | 'invalid_application'; message: string };

/** The portal's title: `{ORN}-{service number}-{service name}` (EF EDeliverySendDelegate.java). */
const titlePattern = /^([A-Za-z0-9]+)-([0-9]{1,6})-(.+)$/s;
const maxAttachmentBytes = 512 * 1024;
const mediaTypes: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  xml: 'application/xml',
  p7m: 'application/pkcs7-mime',
  p7s: 'application/pkcs7-mime',
  asice: 'application/vnd.etsi.asic-e+zip',
};

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, removeNSPrefix: true });

/**
 * Reads an application the single portal sent to a district as an e-delivery message on the
 * applicant's behalf (state-platform.md §3): the title names the ORN and the service number; the
 * form's PDF carries the `<ServiceRequest>` XML and the form JSON in its document information
 * under `{pdfFileName}_xml` / `{pdfFileName}_json` (EF GenerateFilesPackageServiceImpl.java), or,
 * on the older path, they come as separate `.xml` / `.json` documents. Maps it to the submission
 * the applications service already takes.
 */
export async function readPortalApplication(message: ReceivedMessage, districtCode: string): Promise<ReadOutcome> {
  const title = titlePattern.exec(message.title.trim());
  if (!title) {
    return {
      kind: 'unreadable',
      code: 'not_an_application',
      message: `title "${message.title}" is not {ORN}-{service number}-{name}`,
    };
  }
  const [, orn, serviceNumberText] = title;
  const embedded = await embeddedForm(message.documents);
  const formXml = embedded.xml ?? textOf(message.documents.find((document) => /\.xml$/i.test(document.name)));
  const formJson = embedded.json ?? textOf(message.documents.find((document) => /\.json$/i.test(document.name)));
  if (!formXml)
    return { kind: 'unreadable', code: 'no_service_request', message: 'no <ServiceRequest> in the PDF or as a file' };

  let request: Record<string, unknown>;
  try {
    request = (xml.parse(formXml) as { ServiceRequest?: Record<string, unknown> }).ServiceRequest ?? {};
  } catch (error) {
    return {
      kind: 'unreadable',
      code: 'invalid_application',
      message: `ServiceRequest is not XML: ${(error as Error).message}`,
    };
  }
  const applicant = agentOf(pick(request, 'applicant'));
  if (!applicant)
    return { kind: 'unreadable', code: 'invalid_application', message: 'the ServiceRequest names no applicant' };
  const author = agentOf(pick(request, 'requestAuthor'));
  const representative =
    author && author.identifier !== applicant.identifier
      ? { ...author, capacity: String(pick(request, 'requestAuthor', 'authorType', 'name') ?? 'пълномощник') }
      : undefined;

  let form: unknown = undefined;
  try {
    form = formJson ? JSON.parse(formJson) : undefined;
  } catch {
    // The JSON is a copy of the form; the XML's specificContent is what counts.
  }
  const specificContent = pick(request, 'specificContent');
  const formData =
    specificContent && typeof specificContent === 'object'
      ? (specificContent as Record<string, unknown>)
      : ((form as { data?: Record<string, unknown> } | undefined)?.data ?? {});

  const attachments: ApplicationSubmitted['attachments'] = [];
  for (const document of message.documents) {
    if (/\.(xml|json)$/i.test(document.name) && !embedded.xml) continue; // the older path's form files
    if (document.content.length > maxAttachmentBytes) {
      return { kind: 'unreadable', code: 'invalid_application', message: `${document.name} is larger than 512 KiB` };
    }
    attachments.push({
      attachmentId: `ssev-${message.messageId}-${document.id}`,
      fileName: document.name,
      mediaType: mediaTypeOf(document),
      size: document.content.length,
      sha256: createHash('sha256').update(document.content).digest('hex'),
      contentBase64: document.content.toString('base64'),
      ...(document.signatures?.length ? { signatures: document.signatures.slice(0, 20) } : {}),
    });
  }

  return {
    kind: 'application',
    submission: {
      portalApplicationId: orn!,
      // The portal's reference number is the case's reference number (РНУ) in every later message.
      serviceReferenceNumber: String(pick(request, 'requestURI', 'identifier') ?? orn),
      serviceNumber: Number(serviceNumberText),
      districtCode,
      urgency: urgencyOf(request),
      applicant,
      ...(representative ? { representative } : {}),
      deliveryChannel: channelOf(request),
      ...(message.senderProfileId ? { eDeliveryProfileId: message.senderProfileId } : {}),
      formData,
      attachments: attachments.slice(0, 10),
      submittedAt: (message.dateSent ?? new Date()).toISOString(),
    },
  };
}

/** The XML and JSON the portal embeds in the form PDF's document information dictionary. */
async function embeddedForm(documents: ReceivedDocument[]): Promise<{ xml?: string; json?: string }> {
  for (const document of documents.filter((candidate) => /\.pdf$/i.test(candidate.name))) {
    let pdf: PDFDocument;
    try {
      pdf = await PDFDocument.load(document.content, { updateMetadata: false });
    } catch {
      continue;
    }
    const found: { xml?: string; json?: string } = {};
    const info = pdf.context.trailerInfo.Info ? pdf.context.lookup(pdf.context.trailerInfo.Info) : undefined;
    if (!(info instanceof PDFDict)) continue;
    for (const [key, value] of info.entries()) {
      const name = key instanceof PDFName ? key.decodeText() : String(key);
      const text = value instanceof PDFHexString || value instanceof PDFString ? value.decodeText() : undefined;
      if (text === undefined) continue;
      if (name.endsWith('_xml')) found.xml = text;
      if (name.endsWith('_json')) found.json = text;
    }
    if (found.xml) return found;
  }
  return {};
}

function pick(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const step of path) current = (current as Record<string, unknown> | undefined)?.[step];
  return current;
}

function textOf(document: ReceivedDocument | undefined): string | undefined {
  return document?.content.toString('utf8');
}

/**
 * An Agent of the ServiceRequest (EF xml/xsd/Agent.xsd: a person, a legal entity or a public
 * organisation): a person by identifier (ЕГН / ЛНЧ) and full name, a legal entity by
 * `legalIdentifier` (ЕИК) and `legalName`.
 */
function agentOf(agent: unknown): ApplicationSubmitted['applicant'] | undefined {
  const entity = pick(agent, 'legalEntity');
  if (entity) {
    const identifier = String(pick(entity, 'legalIdentifier', 'identifier') ?? '').trim();
    if (!/^([0-9]{9}|[0-9]{13})$/.test(identifier)) return undefined;
    const name = String(pick(entity, 'legalName') ?? '').trim();
    return { identifierType: 'EIK', identifier, name: name || identifier };
  }
  return personOf(pick(agent, 'person'));
}

/** A person of the ServiceRequest: identifier with its type (ЕГН / ЛНЧ) and full name. */
function personOf(person: unknown): ApplicationSubmitted['applicant'] | undefined {
  const identifier = String(pick(person, 'identifier', 'identifier') ?? '').trim();
  if (!/^[0-9]{10}$/.test(identifier)) return undefined;
  const type = String(pick(person, 'identifier', 'identifierType', 'code') ?? 'EGN').toUpperCase();
  const name = String(pick(person, 'fullName') ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return {
    identifierType: type.includes('LN') || type.includes('ЛНЧ') ? 'LNCH' : 'EGN',
    identifier,
    name: name || identifier,
  };
}

/** The processing term's type: Нормална (0006-000083) / Бърза / Експресна услуга. */
function urgencyOf(request: Record<string, unknown>): ApplicationSubmitted['urgency'] {
  const name = String(pick(request, 'processTime', 'processTimeType', 'name') ?? '').toLowerCase();
  if (name.includes('експрес')) return 'express';
  if (name.includes('бърз')) return 'fast';
  return 'regular';
}

/** The result channel by its name: at the desk (на гише), otherwise through e-delivery. */
function channelOf(request: Record<string, unknown>): ApplicationSubmitted['deliveryChannel'] {
  const name = String(pick(request, 'resultChannel', 'channelType', 'name') ?? '').toLowerCase();
  return name.includes('гише') ? 'desk' : 'e_delivery';
}

function mediaTypeOf(document: ReceivedDocument): string {
  const declared = document.contentType?.split(';')[0]?.trim().toLowerCase();
  if (declared && declared !== 'application/octet-stream') return declared;
  return mediaTypes[document.name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}
