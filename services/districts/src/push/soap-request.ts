import { DOMImplementation, type Element, XMLSerializer } from '@xmldom/xmldom';
import jsonata from 'jsonata';
import { PushFailure } from './back-office-answer';
import type { PushMessage } from './pushed-application';
import { envelopePrefix, soapVersions } from './soap-envelope';
import type { ElementNode, SoapTreeMapping } from './soap-mapping';

const xmlnsNamespace = 'http://www.w3.org/2000/xmlns/';
const compiled = new Map<string, jsonata.Expression>();

/** A compiled expression, kept: the same mapping's expressions run for every push. */
function expressionOf(text: string): jsonata.Expression {
  let expression = compiled.get(text);
  if (!expression) {
    if (compiled.size > 5000) compiled.clear();
    expression = jsonata(text);
    compiled.set(text, expression);
  }
  return expression;
}

/** A code from one of the mapping's tables; an unmapped value is the mapping's fault, so the push parks. */
function tableLookup(tables: SoapTreeMapping['tables']) {
  return (name: string, value: unknown): string => {
    if (value === undefined || value === null || value === '') return '';
    const table = Object.hasOwn(tables, name) ? tables[name] : undefined;
    if (!table) throw new PushFailure(`mapping has no table "${name}"`, true);
    const text = String(value);
    // Own keys only: `constructor` or `__proto__` from the input must not resolve through the prototype.
    const code = Object.hasOwn(table, text) ? table[text] : Object.hasOwn(table, '*') ? table['*'] : undefined;
    if (code === undefined) throw new PushFailure(`table "${name}" has no code for "${text}"`, true);
    return code.replace('$value', text);
  };
}

type Bindings = Record<string, unknown>;

async function evaluate(text: string, context: unknown, bindings: Bindings, where: string): Promise<unknown> {
  try {
    return (await expressionOf(text).evaluate(context, bindings)) as unknown;
  } catch (error) {
    if (error instanceof PushFailure) throw error;
    throw new PushFailure(`mapping expression at ${where} failed: ${(error as Error).message}`, true);
  }
}

function textOf(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new PushFailure(
    `mapping expression at ${where} gave ${Array.isArray(value) ? 'an array' : 'an object'}, not text`,
    true,
  );
}

/**
 * The SOAP request for one push, built from the district's mapping: the envelope of its SOAP
 * version with the mapping's namespaces declared, an empty Header (the security header goes in
 * afterwards), and the operation's element tree evaluated against the pushed application.
 */
export async function buildSoapRequest(mapping: SoapTreeMapping, message: PushMessage): Promise<string> {
  const operation =
    message.kind === 'application'
      ? mapping.operations.application
      : message.kind === 'deadline_alert'
        ? (mapping.operations.deadline_alert ?? mapping.operations.status_change)
        : mapping.operations.status_change;
  const envelopeNs = soapVersions[mapping.soapVersion].envelopeNamespace;
  const document = new DOMImplementation().createDocument(envelopeNs, `${envelopePrefix}:Envelope`, null);
  const envelope = document.documentElement!;
  for (const [prefix, uri] of Object.entries(mapping.namespaces)) {
    envelope.setAttributeNS(xmlnsNamespace, `xmlns:${prefix}`, uri);
  }
  const header = document.createElementNS(envelopeNs, `${envelopePrefix}:Header`);
  const body = document.createElementNS(envelopeNs, `${envelopePrefix}:Body`);
  envelope.appendChild(header);
  envelope.appendChild(body);
  const bindings: Bindings = {
    application: message.application,
    kind: message.kind,
    pushId: message.pushId,
    districtCode: message.districtCode,
    callbackUrl: message.callbackUrl,
    table: tableLookup(mapping.tables),
  };
  const namespaceOf = (name: string) => (name.includes(':') ? mapping.namespaces[name.split(':')[0]!] : null);

  const append = async (parent: Element, node: ElementNode, context: unknown, where: string): Promise<void> => {
    const items = node.forEach
      ? await evaluate(node.forEach, context, bindings, `${where}.forEach`).then((value) =>
          value === undefined || value === null ? [] : Array.isArray(value) ? (value as unknown[]) : [value],
        )
      : [context];
    for (const item of items) {
      if (node.when && !(await evaluate(node.when, item, bindings, `${where}.when`))) continue;
      const element = document.createElementNS(namespaceOf(node.element) ?? null, node.element);
      for (const [name, text] of Object.entries(node.attributes ?? {})) {
        const value = textOf(await evaluate(text, item, bindings, `${where}@${name}`), `${where}@${name}`);
        if (value === undefined) continue;
        const namespace = namespaceOf(name);
        if (namespace) element.setAttributeNS(namespace, name, value);
        else element.setAttribute(name, value);
      }
      if (node.value) {
        const value = textOf(await evaluate(node.value, item, bindings, where), where);
        element.appendChild(document.createTextNode(value ?? ''));
      }
      for (const [index, child] of (node.children ?? []).entries()) {
        await append(element, child, item, `${where}/${child.element}[${index}]`);
      }
      parent.appendChild(element);
    }
  };
  for (const node of operation.header ?? []) await append(header, node, message.application, `Header/${node.element}`);
  await append(body, operation.body, message.application, `Body/${operation.body.element}`);
  const xml = new XMLSerializer().serializeToString(document);
  // The security header is inserted before the Header's end tag, so it must have one.
  return `<?xml version="1.0" encoding="UTF-8"?>${xml.replace(`<${envelopePrefix}:Header/>`, `<${envelopePrefix}:Header></${envelopePrefix}:Header>`)}`;
}

/** The action and headers of the operation a push uses. */
export function soapActionHeaders(mapping: SoapTreeMapping, kind: PushMessage['kind']): Record<string, string> {
  const operation =
    kind === 'application'
      ? mapping.operations.application
      : kind === 'deadline_alert'
        ? (mapping.operations.deadline_alert ?? mapping.operations.status_change)
        : mapping.operations.status_change;
  return soapVersions[mapping.soapVersion].headers(operation.action);
}
