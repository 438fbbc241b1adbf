import { createHash } from 'node:crypto';
import { RESULT_DOCUMENT_MAX_BYTES, resultDocumentMediaTypes } from '@umg/contracts';
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import type { BackOfficeDecisionKind, Reason } from '@umg/contracts';
import { type BackOfficeAnswer, PushFailure, type PushedResult } from './back-office-answer';
import { contentIdKey, mediaTypeOf, type MtomAnswer, readMtomAnswer } from './mtom';
import type { PushMessage } from './pushed-application';
import { soapVersions } from './soap-envelope';
import type { SoapTreeMapping } from './soap-mapping';

const xopNamespace = 'http://www.w3.org/2004/08/xop/include';

/** A back office's HTTP answer as the adapter reads it. */
export interface SoapHttpAnswer {
  contentType: string;
  body: Buffer;
}

/** A SOAP fault of either version, reduced to what a mapping's rules match on. */
export interface SoapFault {
  code: string;
  subcodes: string[];
  reason: string;
  detailCode?: string;
}

/** A push the back office answered with a fault; what the fault said, for those that must tell kinds of faults apart. */
export class SoapFaultFailure extends PushFailure {
  constructor(
    message: string,
    permanent: boolean,
    readonly fault: SoapFault,
  ) {
    super(message, permanent);
    this.name = 'SoapFaultFailure';
  }
}

/** The fault codes of WS-Security (OASIS SOAP Message Security 1.1, §12): the back office refused the credentials. */
const securityFaultCodes = new Set([
  'UnsupportedSecurityToken',
  'UnsupportedAlgorithm',
  'InvalidSecurity',
  'InvalidSecurityToken',
  'FailedAuthentication',
  'FailedCheck',
  'SecurityTokenUnavailable',
  'MessageExpired',
]);

export function isSecurityFault(fault: SoapFault): boolean {
  return [fault.code, ...fault.subcodes].some((code) => securityFaultCodes.has(code));
}

/** A document type declaration (the carrier of entity expansion and external entities), anywhere in the text. */
const doctype = /<!DOCTYPE/i;

function parseXml(xml: string): Document {
  if (doctype.test(xml)) throw new PushFailure('answer declares a DOCTYPE; SOAP answers may not', true);
  try {
    return new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml') as unknown as Document;
  } catch (error) {
    throw new PushFailure(`answer is not XML: ${(error as Error).message.slice(0, 200)}`, true);
  }
}

const localName = (qname: string) => qname.trim().split(':').pop() ?? '';

/**
 * Maps the back office's SOAP answer (plain XML, or MTOM with attachments) back to the gateway's
 * terms by the district's mapping. A fault is matched against the mapping's rules: retry later,
 * park, or a decision; a fault no rule matches parks the push with the fault as its reason.
 */
export async function parseSoapAnswer(
  mapping: SoapTreeMapping,
  message: Pick<PushMessage, 'kind' | 'pushId'>,
  answer: SoapHttpAnswer,
): Promise<BackOfficeAnswer> {
  const mtom: MtomAnswer =
    mediaTypeOf(answer.contentType).type === 'multipart/related'
      ? await readMtomAnswer(answer.contentType, answer.body)
      : { xml: answer.body.toString('utf8'), attachments: new Map() };
  const document = parseXml(mtom.xml);
  const envelope = document.documentElement;
  const envelopeNs = envelope?.namespaceURI;
  const version = (['1.1', '1.2'] as const).find((v) => soapVersions[v].envelopeNamespace === envelopeNs);
  if (!envelope || envelope.localName !== 'Envelope' || !version) {
    throw new PushFailure('answer is not a SOAP envelope', true);
  }
  const select = xpath.useNamespaces({ ...mapping.namespaces, soap: envelopeNs!, xop: xopNamespace });
  const body = select('soap:Body', envelope, true) as Element | undefined;
  if (!body) throw new PushFailure('answer is not a SOAP envelope', true);
  const fault = select('soap:Fault', body, true) as Element | undefined;
  if (fault) return faultOutcome(mapping, message, readFault(version, fault, mapping, select));

  const nodes = (path: string) => {
    const value = select(path, body);
    return Array.isArray(value) ? (value as Node[]) : [];
  };
  const text = (path: string | undefined): string | undefined => {
    if (!path) return undefined;
    const value = select(path, body);
    const raw = Array.isArray(value) ? (value[0] as Node | undefined)?.textContent : String(value);
    const trimmed = raw?.trim();
    return trimmed ? trimmed : undefined;
  };
  const paths = mapping.answer;
  const backOfficeReference = text(paths.reference);
  if (!backOfficeReference) throw new PushFailure(`answer has nothing at ${paths.reference}`, true);
  const code = text(paths.decision);
  const decision: BackOfficeDecisionKind | undefined =
    code !== undefined && Object.hasOwn(paths.decisionCodes, code) ? paths.decisionCodes[code] : undefined;
  // An application's answer must carry a known decision (when the mapping says where); a status
  // change's may (e.g. "processing started" in answer to "paid").
  if (!decision && paths.decision && (message.kind === 'application' || code !== undefined)) {
    throw new PushFailure(`answer's decision "${code ?? ''}" at ${paths.decision} is not a known code`, true);
  }
  const registrationNumber = decision ? text(paths.registrationNumber) : undefined;
  if (decision === 'register' && !registrationNumber) {
    throw new PushFailure(`a registration answer without a registration number at ${paths.registrationNumber}`, true);
  }
  const reasons: Reason[] = paths.reasons
    ? nodes(paths.reasons)
        .map((node) => node.textContent?.trim() ?? '')
        .filter((reason) => reason !== '')
        .slice(0, 20)
        .map((reason) => ({ message: reason.slice(0, 1000) }))
    : [];
  const decidedAt = decision ? text(paths.decidedAt) : undefined;
  const result = paths.result ? resultOf(paths.result, decision, reasons, select, body, mtom) : undefined;
  return {
    ...(decision ? { decision } : {}),
    backOfficeReference: backOfficeReference.slice(0, 128),
    ...(registrationNumber ? { registrationNumber } : {}),
    ...(reasons.length > 0 && decision ? { reasons } : {}),
    ...(decidedAt ? { decidedAt } : {}),
    ...(result ? { result } : {}),
  };
}

type Select = ReturnType<typeof xpath.useNamespaces>;

/** The result document an answer carries, if it carries one: an attachment, inline base64, or an https reference. */
function resultOf(
  paths: NonNullable<SoapTreeMapping['answer']['result']>,
  decision: BackOfficeDecisionKind | undefined,
  reasons: Reason[],
  select: Select,
  body: Element,
  mtom: MtomAnswer,
): PushedResult | undefined {
  const text = (path: string | undefined) => {
    if (!path) return undefined;
    const value = select(path, body);
    const raw = Array.isArray(value) ? (value[0] as Node | undefined)?.textContent : String(value);
    return raw?.trim() || undefined;
  };
  const element = paths.document ? (select(paths.document, body, true) as Element | undefined) : undefined;
  const reference = text(paths.reference);
  if (!element && !reference) return undefined;
  const fileName = text(paths.fileName);
  if (!fileName) throw new PushFailure(`a result without a file name at ${paths.fileName}`, true);
  const stated = text(paths.mediaType);
  const sha256 = text(paths.sha256)?.toLowerCase();
  let document: PushedResult['document'];
  let mediaType = stated;
  if (element) {
    const include = select('xop:Include', element, true) as Element | undefined;
    let content: Buffer;
    if (include) {
      const href = include.getAttribute('href') ?? '';
      const attachment = mtom.attachments.get(contentIdKey(href));
      if (!attachment) throw new PushFailure(`the answer has no attachment ${href}`, true);
      content = attachment.content;
      mediaType ??= attachment.mediaType;
    } else {
      content = Buffer.from((element.textContent ?? '').replace(/\s+/g, ''), 'base64');
    }
    if (content.length === 0) throw new PushFailure('the result document is empty', true);
    if (content.length > RESULT_DOCUMENT_MAX_BYTES) throw new PushFailure('the result document exceeds 10 MiB', true);
    if (sha256 && createHash('sha256').update(content).digest('hex') !== sha256) {
      throw new PushFailure('the result document does not match its stated SHA-256', true);
    }
    document = { content };
  } else {
    let url: URL | undefined;
    try {
      url = new URL(reference!);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:') throw new PushFailure('a result reference must be an https address', true);
    document = { reference: url.href };
  }
  if (!mediaType || !resultDocumentMediaTypes.has(mediaType.toLowerCase())) {
    throw new PushFailure(`a result of type ${mediaType ?? '(none)'} is not accepted`, true);
  }
  return {
    kind: decision === 'refuse' ? 'refusal' : 'result',
    fileName: fileName.slice(0, 255),
    mediaType: mediaType.toLowerCase(),
    ...(sha256 ? { sha256 } : {}),
    document,
    ...(decision === 'refuse' && reasons.length > 0 ? { reasons } : {}),
  };
}

/** A fault of either SOAP version: code, subcodes (1.2), reason, and the district's detail code if mapped. */
function readFault(version: '1.1' | '1.2', fault: Element, mapping: SoapTreeMapping, select: Select): SoapFault {
  const text = (path: string, context: Node = fault) =>
    ((select(path, context, true) as Node | undefined)?.textContent ?? '').trim();
  let code: string;
  let subcodes: string[] = [];
  let reason: string;
  let detail: Node | undefined;
  if (version === '1.1') {
    code = localName(text("*[local-name()='faultcode']"));
    reason = text("*[local-name()='faultstring']");
    detail = select("*[local-name()='detail']", fault, true) as Node | undefined;
  } else {
    code = localName(text('soap:Code/soap:Value'));
    subcodes = (select('soap:Code//soap:Subcode/soap:Value', fault) as Node[]).map((node) =>
      localName(node.textContent ?? ''),
    );
    reason = text('soap:Reason/soap:Text');
    detail = select('soap:Detail', fault, true) as Node | undefined;
  }
  const detailCode = detail && mapping.faults.detailCode ? text(mapping.faults.detailCode, detail) : '';
  return { code, subcodes, reason: reason || '(no reason given)', ...(detailCode ? { detailCode } : {}) };
}

function faultOutcome(
  mapping: SoapTreeMapping,
  message: Pick<PushMessage, 'kind' | 'pushId'>,
  fault: SoapFault,
): BackOfficeAnswer {
  const described = `SOAP fault ${[fault.code, ...fault.subcodes].join('/')}${fault.detailCode ? ` (${fault.detailCode})` : ''}: ${fault.reason}`;
  const rule = mapping.faults.rules.find(
    (candidate) =>
      (!candidate.code || localName(candidate.code) === fault.code) &&
      (!candidate.subcode || fault.subcodes.includes(localName(candidate.subcode))) &&
      (!candidate.detailCode || candidate.detailCode === fault.detailCode),
  );
  if (!rule || rule.outcome === 'park') throw new SoapFaultFailure(described, true, fault);
  if (rule.outcome === 'retry') throw new SoapFaultFailure(described, false, fault);
  // A business fault is the back office's decision on the application; on anything else it has no meaning.
  if (message.kind !== 'application') {
    throw new SoapFaultFailure(`${described} (a decision fault on a ${message.kind})`, true, fault);
  }
  const code = fault.detailCode ?? fault.subcodes.at(-1) ?? fault.code;
  return {
    decision: rule.outcome,
    reasons: [{ ...(code ? { code: code.slice(0, 64) } : {}), message: fault.reason.slice(0, 1000) }],
    backOfficeReference: `fault:${message.pushId}`.slice(0, 128),
  };
}
