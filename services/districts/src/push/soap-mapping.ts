import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import type { BackOfficeDecisionKind } from '@umg/contracts';
import { type BackOfficeAnswer, DeliveryFailure } from './back-office-answer';
import type { PushMessage } from './pushed-application';

const xmlName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'an XML element name');
const decisionKind = z.enum(['register', 'return_for_corrections', 'refuse', 'start_processing']);

/**
 * A district's legacy SOAP/XML back office, described as data: which element carries which field
 * of the application, the district's own codes for services, urgencies and statuses, and where
 * its answer keeps the decision and the registration number. Adding a SOAP district is writing
 * one of these, not code.
 */
export const soapMappingSchema = z.object({
  soapAction: z.string().min(1).describe('SOAPAction header of requests.'),
  namespace: z.string().min(1).describe('Namespace of the district’s elements.'),
  requestElement: xmlName.describe('Operation element for a new application.'),
  statusChangeElement: xmlName.describe('Operation element for a status change.'),
  fields: z
    .array(
      z.object({
        element: xmlName,
        /** Dotted path into the pushed application, e.g. `applicant.name`. */
        path: z.string().regex(/^[A-Za-z]+(\.[A-Za-z]+)*$/),
        /** Name of a value map translating the gateway's value into the district's code. */
        valueMap: z.string().optional(),
      }),
    )
    .min(1),
  /** Value maps: gateway value → district code; the key `*` gives a default, `$value` in it keeps the value. */
  valueMaps: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  answer: z.object({
    decisionElement: xmlName,
    decisionCodes: z.record(z.string(), decisionKind),
    registrationNumberElement: xmlName,
    referenceElement: xmlName,
    reasonElement: xmlName.optional(),
  }),
});

export type SoapMapping = z.infer<typeof soapMappingSchema>;

const envelopeNs = 'http://schemas.xmlsoap.org/soap/envelope/';

function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function valueAt(source: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      source,
    );
}

function mapValue(mapping: SoapMapping, mapName: string, value: string): string {
  const map = mapping.valueMaps[mapName];
  if (!map) throw new DeliveryFailure(`mapping has no value map "${mapName}"`, true);
  // Own keys only: `constructor` or `__proto__` from the input must not resolve through the prototype.
  const code = Object.hasOwn(map, value) ? map[value] : Object.hasOwn(map, '*') ? map['*'] : undefined;
  if (code === undefined) throw new DeliveryFailure(`value map "${mapName}" has no code for "${value}"`, true);
  return code.replace('$value', value);
}

/** The SOAP 1.1 request for one push, built by the district's mapping. */
export function buildSoapRequest(mapping: SoapMapping, message: PushMessage): string {
  const operation = message.kind === 'application' ? mapping.requestElement : mapping.statusChangeElement;
  const elements = mapping.fields.map((field) => {
    const raw = valueAt(message.application, field.path);
    const text = raw === undefined || raw === null ? '' : String(raw);
    const value = field.valueMap && text !== '' ? mapValue(mapping, field.valueMap, text) : text;
    return `<d:${field.element}>${escapeXml(value)}</d:${field.element}>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${envelopeNs}" xmlns:d="${escapeXml(mapping.namespace)}">` +
    `<soapenv:Header/><soapenv:Body><d:${operation}>${elements.join('')}</d:${operation}></soapenv:Body></soapenv:Envelope>`
  );
}

// No entity processing at all: a SOAP answer has no business declaring entities.
const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true,
  processEntities: false,
});

/** A document type declaration (the carrier of entity expansion and external entities), anywhere in the text. */
const doctype = /<!DOCTYPE/i;

/** Maps the back office's SOAP answer back to the gateway's terms; a fault or a foreign shape is a refusal. */
export function parseSoapAnswer(mapping: SoapMapping, kind: PushMessage['kind'], xml: string): BackOfficeAnswer {
  if (doctype.test(xml)) throw new DeliveryFailure('answer declares a DOCTYPE; SOAP answers may not', true);
  let document: Record<string, unknown>;
  try {
    document = parser.parse(xml) as Record<string, unknown>;
  } catch (error) {
    throw new DeliveryFailure(`answer is not XML: ${String(error)}`, true);
  }
  const body = valueAt(document, 'Envelope.Body') as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') throw new DeliveryFailure('answer is not a SOAP envelope', true);
  if ('Fault' in body) {
    const fault = body.Fault as Record<string, unknown>;
    throw new DeliveryFailure(`SOAP fault ${String(fault.faultcode)}: ${String(fault.faultstring)}`, true);
  }
  const [response] = Object.values(body) as Record<string, unknown>[];
  if (!response || typeof response !== 'object') throw new DeliveryFailure('SOAP answer has no body element', true);
  const text = (element: string | undefined): string | undefined => {
    if (!element) return undefined;
    const value = response[element];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const answer = mapping.answer;
  const backOfficeReference = text(answer.referenceElement);
  if (!backOfficeReference) throw new DeliveryFailure(`answer has no ${answer.referenceElement}`, true);
  const code = text(answer.decisionElement);
  const decision: BackOfficeDecisionKind | undefined =
    code === undefined || !Object.hasOwn(answer.decisionCodes, code) ? undefined : answer.decisionCodes[code];
  // A status change is acknowledged, or answered with a decision when the answer carries a known one.
  if (kind === 'status_change' && !decision) return { backOfficeReference };
  if (!decision)
    throw new DeliveryFailure(`answer's ${answer.decisionElement} "${code ?? ''}" is not a known code`, true);
  const registrationNumber = text(answer.registrationNumberElement);
  if (decision === 'register' && !registrationNumber) {
    throw new DeliveryFailure(`a registration answer without ${answer.registrationNumberElement}`, true);
  }
  const reason = text(answer.reasonElement);
  return {
    decision,
    backOfficeReference,
    ...(registrationNumber ? { registrationNumber } : {}),
    ...(reason ? { reasons: [{ message: reason }] } : {}),
  };
}
