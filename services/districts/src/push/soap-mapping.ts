import jsonata from 'jsonata';
import * as xpath from 'xpath';
import { z } from 'zod';

const xmlName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'an XML element name');
/** An element or attribute name, with the prefix of one of the mapping's namespaces or without. */
const qualifiedName = z
  .string()
  .regex(/^([A-Za-z_][A-Za-z0-9_.-]*:)?[A-Za-z_][A-Za-z0-9_.-]*$/, 'an XML name, prefix:name or name');
const decisionKind = z.enum(['register', 'return_for_corrections', 'refuse', 'start_processing']);
const prefixName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'a namespace prefix')
  // The envelope and the security header have these; a mapping may not redefine them.
  .refine((prefix) => !['soap', 'wsse', 'wsu', 'ds', 'xop', 'xml', 'xmlns'].includes(prefix), 'a reserved prefix');

/** A JSONata expression, compiled when the mapping is saved so a typo is refused then, not at the first push. */
const expression = z
  .string()
  .min(1)
  .max(2000)
  .superRefine((text, context) => {
    try {
      jsonata(text);
    } catch (error) {
      context.addIssue({ code: 'custom', message: `not a JSONata expression: ${(error as Error).message}` });
    }
  });

/** xpath's own parser (its typings leave it out): throws on a syntax error. */
const parseXPath = (xpath as unknown as { parse(text: string): unknown }).parse;

/** An XPath 1.0 expression over the answer, with the mapping's prefixes; checked for syntax on save. */
const answerPath = z
  .string()
  .min(1)
  .max(500)
  .superRefine((text, context) => {
    try {
      parseXPath(text);
    } catch (error) {
      context.addIssue({ code: 'custom', message: `not an XPath expression: ${(error as Error).message}` });
    }
  });

/** One element of the request body: its name, attributes and text or children, each from JSONata. */
export interface ElementNode {
  element: string;
  /** One element per item of this array (the item is then the context; `$application` stays the whole). */
  forEach?: string;
  /** The element is left out when this is false, empty or undefined. */
  when?: string;
  /** The element's text. */
  value?: string;
  attributes?: Record<string, string>;
  children?: ElementNode[];
}

const elementNode: z.ZodType<ElementNode> = z.lazy(() =>
  z
    .object({
      element: qualifiedName,
      forEach: expression.optional(),
      when: expression.optional(),
      value: expression.optional(),
      attributes: z.record(qualifiedName, expression).optional(),
      children: z.array(elementNode).max(200).optional(),
    })
    .strict()
    .refine((node) => !(node.value && node.children?.length), 'an element has a value or children, not both'),
);

const operation = z
  .object({
    /** SOAPAction (1.1) or the Content-Type's action (1.2). */
    action: z.string().min(1).max(500),
    /** Elements of the SOAP Header besides the security header. */
    header: z.array(elementNode).max(20).optional(),
    body: elementNode,
  })
  .strict();

/** Where an answer keeps the result of the service: an MTOM attachment (or inline base64), or an https reference. */
const resultPaths = z
  .object({
    /** The element holding the document: an xop:Include of an attachment, or base64 text. */
    document: answerPath.optional(),
    /** An https address of the document the gateway fetches. */
    reference: answerPath.optional(),
    fileName: answerPath,
    /** The media type; for an attachment, the part's Content-Type when this is absent or empty. */
    mediaType: answerPath.optional(),
    sha256: answerPath.optional(),
  })
  .strict()
  .refine((result) => result.document || result.reference, 'a result needs a document or a reference path');

/** What a fault means: try again later, park for an operator, or the office's decision on the application. */
const faultOutcome = z.enum(['retry', 'park', 'refuse', 'return_for_corrections']);

/**
 * A district's SOAP back office described as data (the tree form): the request body as a nested
 * tree with namespaces built by JSONata, code tables, SOAP 1.1 or 1.2, WS-Security, and where the
 * answer keeps the decision, registration number, reference, reasons and result, and what its
 * faults mean. Adding a SOAP district is writing one of these, not code.
 */
export const soapTreeMappingSchema = z
  .object({
    soapVersion: z.enum(['1.1', '1.2']).default('1.1'),
    /** prefix → namespace URI, declared on the envelope. */
    namespaces: z.record(prefixName, z.string().min(1).max(500)).default({}),
    operations: z
      .object({
        application: operation,
        status_change: operation,
        /** A deadline alert; sent as a status change when absent. */
        deadline_alert: operation.optional(),
      })
      .strict(),
    /** Code tables: gateway value → district code; `*` is the default, `$value` in a code keeps the value. */
    tables: z.record(xmlName, z.record(z.string(), z.string())).default({}),
    answer: z
      .object({
        decision: answerPath.optional(),
        decisionCodes: z.record(z.string(), decisionKind).default({}),
        registrationNumber: answerPath.optional(),
        reference: answerPath,
        /** Each node it selects is one reason. */
        reasons: answerPath.optional(),
        decidedAt: answerPath.optional(),
        result: resultPaths.optional(),
      })
      .strict(),
    faults: z
      .object({
        /** Where a fault's detail keeps the district's own error code (XPath from the detail element). */
        detailCode: answerPath.optional(),
        /** First match wins; a fault no rule matches parks the push with the fault as its reason. */
        rules: z
          .array(
            z
              .object({
                code: z.string().min(1).max(200).optional(),
                subcode: z.string().min(1).max(200).optional(),
                detailCode: z.string().min(1).max(200).optional(),
                outcome: faultOutcome,
              })
              .strict(),
          )
          .max(50)
          .default([]),
      })
      .strict()
      .default({ rules: [] }),
    security: z
      .object({
        /** The password is the district's secret (DistrictSecretStore). */
        usernameToken: z
          .object({
            username: z.string().min(1).max(200),
            passwordType: z.enum(['PasswordText', 'PasswordDigest']).default('PasswordDigest'),
            nonce: z.boolean().default(true),
          })
          .strict()
          .optional(),
        /** `<keyRef>.key.pem` and `<keyRef>.crt.pem` in PUSH_SIGNING_KEYS_DIR (a mounted secret). */
        x509: z
          .object({ keyRef: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/) })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    /** The gateway's HMAC headers; a legacy system that does not check them may turn them off. */
    hmac: z.boolean().default(true),
  })
  .strict()
  .superRefine((mapping, context) => {
    // Every prefix used in the request must be declared.
    const check = (node: ElementNode, path: (string | number)[]) => {
      for (const name of [node.element, ...Object.keys(node.attributes ?? {})]) {
        const prefix = name.includes(':') ? name.split(':')[0]! : undefined;
        if (prefix && !Object.hasOwn(mapping.namespaces, prefix)) {
          context.addIssue({ code: 'custom', path, message: `prefix "${prefix}" is not in namespaces` });
        }
      }
      node.children?.forEach((child, index) => check(child, [...path, 'children', index]));
    };
    for (const [name, op] of Object.entries(mapping.operations)) {
      if (!op) continue;
      check(op.body, ['operations', name, 'body']);
      op.header?.forEach((node, index) => check(node, ['operations', name, 'header', index]));
    }
  });

/**
 * The first, flat form (kept as a legacy variant: stored profiles need no migration): element ↔
 * path pairs in one namespace, SOAP 1.1, value maps, answer elements under the response element.
 */
export const soapFlatMappingSchema = z.object({
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

/** A stored SOAP mapping: the tree form (when it has `operations`), or the flat legacy form. */
export const soapMappingSchema = z.union([soapTreeMappingSchema, soapFlatMappingSchema]);

export type SoapTreeMapping = z.infer<typeof soapTreeMappingSchema>;
export type SoapFlatMapping = z.infer<typeof soapFlatMappingSchema>;
export type SoapMapping = z.infer<typeof soapMappingSchema>;

/** The tree form of any stored mapping: the flat form becomes the tree it always meant. */
export function treeMappingOf(mapping: SoapMapping): SoapTreeMapping {
  if ('operations' in mapping) return mapping;
  const children = mapping.fields.map((field) => ({
    element: `d:${field.element}`,
    value: field.valueMap ? `$table(${JSON.stringify(field.valueMap)}, ${field.path})` : `$string(${field.path})`,
  }));
  const child = (element: string) => `*[1]/*[local-name()='${element}']`;
  const answer = mapping.answer;
  return {
    soapVersion: '1.1',
    namespaces: { d: mapping.namespace },
    operations: {
      application: { action: mapping.soapAction, body: { element: `d:${mapping.requestElement}`, children } },
      status_change: { action: mapping.soapAction, body: { element: `d:${mapping.statusChangeElement}`, children } },
    },
    tables: mapping.valueMaps,
    answer: {
      decision: child(answer.decisionElement),
      decisionCodes: answer.decisionCodes,
      registrationNumber: child(answer.registrationNumberElement),
      reference: child(answer.referenceElement),
      ...(answer.reasonElement ? { reasons: child(answer.reasonElement) } : {}),
    },
    faults: { rules: [] },
    security: {},
    hmac: true,
  };
}

/** Parses a stored or submitted mapping by its form, so the problems named are the ones of the form meant. */
export function parseSoapMapping(value: unknown) {
  const tree = typeof value === 'object' && value !== null && 'operations' in value;
  return tree ? soapTreeMappingSchema.safeParse(value) : soapFlatMappingSchema.safeParse(value);
}
