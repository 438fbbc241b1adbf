import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';

/**
 * The project's contract of ССЕВ's (e-delivery) SOAP integration service, `contracts/e-delivery/`:
 * where it lives (copied next to `dist/` by the build), its namespaces and SOAP actions, and a
 * validator of an operation's payload (the SOAP Body's element) against its XSDs.
 */
export const eDeliveryContractDir = join(__dirname, '..', '..', '..', 'contracts', 'e-delivery');
export const eDeliveryWsdlFile = join(eDeliveryContractDir, 'EDeliveryIntegrationService.wsdl');

export const EDeliveryNamespace = {
  integration: 'https://edelivery.egov.bg/services/integration',
  dataContracts: 'http://schemas.datacontract.org/2004/07/EDelivery.Common.DataContracts',
  soapEnvelope: 'http://schemas.xmlsoap.org/soap/envelope/',
} as const;

export type EDeliveryOperation =
  | 'SendMessage'
  | 'SendMessageInReplyTo'
  | 'GetSentDocumentStatusByRegNum'
  | 'GetSentMessageStatus'
  | 'GetReceivedMessagesListPaged'
  | 'GetReceivedMessageContent'
  | 'CheckSubjectHasRegistration';

export function eDeliverySoapAction(operation: EDeliveryOperation): string {
  return `${EDeliveryNamespace.integration}/IEDeliveryIntegrationService/${operation}`;
}

/** The schema files, `integration.xsd` first (it imports the others). */
export const eDeliverySchemaFiles = [
  'integration.xsd',
  'data-contracts.xsd',
  'enums.xsd',
  'esubject.xsd',
  'serialization.xsd',
  'arrays.xsd',
] as const;

let schemas: { fileName: string; contents: string }[] | undefined;

function loadSchemas(): { fileName: string; contents: string }[] {
  schemas ??= eDeliverySchemaFiles.map((fileName) => ({
    fileName,
    contents: readFileSync(join(eDeliveryContractDir, fileName), 'utf8'),
  }));
  return schemas;
}

/** Validates one operation's request or response element (a standalone XML document) against the XSDs. */
export async function validateEDeliveryPayload(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const [main, ...preload] = loadSchemas();
  const result = await validateXML({ xml: [{ fileName: 'payload.xml', contents: xml }], schema: [main!], preload });
  return { valid: result.valid, errors: result.errors.map((error) => error.message) };
}
