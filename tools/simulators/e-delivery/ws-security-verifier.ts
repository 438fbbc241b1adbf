import { createPublicKey, type KeyObject } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import * as xpath from 'xpath';
import { certificateThumbprint } from '@umg/e-delivery';

const select = xpath.useNamespaces({
  s: 'http://schemas.xmlsoap.org/soap/envelope/',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
});

export type WsSecurityVerdict = { ok: true; thumbprint: string } | { ok: false; why: string };

/**
 * WS-Security as ССЕВ's TransportWithMessageCredential binding checks it: the header carries an
 * X.509 BinarySecurityToken, a wsu:Timestamp that has not expired, and an XML signature made with
 * that certificate over the Timestamp and the Body; the certificate's thumbprint must be one
 * registered for an integration login (ED Identity/ESubjectCertificateValidator.cs).
 */
export function verifyWsSecurity(envelope: string, registered: (thumbprint: string) => boolean): WsSecurityVerdict {
  let document: Document;
  try {
    document = new DOMParser().parseFromString(envelope, 'text/xml') as unknown as Document;
  } catch {
    return { ok: false, why: 'not XML' };
  }
  const one = (path: string, context: Node = document) => select(path, context, true) as Element | undefined;
  const security = one('/s:Envelope/s:Header/wsse:Security');
  if (!security) return { ok: false, why: 'no wsse:Security header' };
  const token = one('wsse:BinarySecurityToken', security)?.textContent?.replace(/\s+/g, '');
  if (!token) return { ok: false, why: 'no BinarySecurityToken' };
  const certificate = certificateOf(token);
  if (!certificate) return { ok: false, why: 'the BinarySecurityToken is not an X.509 certificate' };
  const { thumbprint, publicKey } = certificate;
  if (!registered(thumbprint)) return { ok: false, why: `certificate ${thumbprint} is not registered` };
  const timestamp = one('wsu:Timestamp', security);
  const expires = timestamp && one('wsu:Expires', timestamp)?.textContent;
  if (!timestamp || !expires) return { ok: false, why: 'no wsu:Timestamp' };
  if (Date.parse(expires) < Date.now()) return { ok: false, why: 'the timestamp has expired' };
  const signatureNode = one('ds:Signature', security);
  if (!signatureNode) return { ok: false, why: 'no signature' };
  const signature = new SignedXml({ publicCert: publicKey });
  signature.loadSignature(signatureNode);
  let valid = false;
  try {
    valid = signature.checkSignature(envelope);
  } catch (error) {
    return { ok: false, why: `signature: ${(error as Error).message}` };
  }
  if (!valid) return { ok: false, why: 'the signature does not verify' };
  // The signature must cover this very Body and Timestamp, not some other element with an id.
  const signedIds = signature.getReferences().map((reference) => reference.uri?.replace(/^#/, '') ?? '');
  const body = one('/s:Envelope/s:Body');
  if (!body || !signedIds.includes(idOf(body) ?? '-')) return { ok: false, why: 'the Body is not signed' };
  if (!signedIds.includes(idOf(timestamp) ?? '-')) return { ok: false, why: 'the Timestamp is not signed' };
  return { ok: true, thumbprint };
}

/** Certificates seen, by their token: each caller sends the same one with every call. */
const certificates = new Map<string, { thumbprint: string; publicKey: KeyObject }>();

function certificateOf(token: string): { thumbprint: string; publicKey: KeyObject } | null {
  const known = certificates.get(token);
  if (known) return known;
  const pem = `-----BEGIN CERTIFICATE-----\n${token.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    const certificate = { thumbprint: certificateThumbprint(pem), publicKey: createPublicKey(pem) };
    if (certificates.size >= 1_000) certificates.clear();
    certificates.set(token, certificate);
    return certificate;
  } catch {
    return null;
  }
}

function idOf(element: Element): string | undefined {
  return (
    element.getAttributeNS(
      'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
      'Id',
    ) ||
    element.getAttribute('Id') ||
    undefined
  );
}
