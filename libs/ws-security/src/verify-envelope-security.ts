import { DOMParser } from '@xmldom/xmldom';
import { passwordDigest } from 'soap';
import { SignedXml } from 'xml-crypto';
import * as xpath from 'xpath';
import { certificateThumbprint } from '@umg/e-delivery';

const wsseNs = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const wsuNs = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const select = xpath.useNamespaces({ wsse: wsseNs, wsu: wsuNs, ds: 'http://www.w3.org/2000/09/xmldsig#' });
const passwordDigestType =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';

/** What the receiving side requires of a request's wsse:Security header. */
export interface SecurityRequirements {
  /** The password a username must have; undefined for an unknown user. */
  usernameToken?: { passwordOf: (username: string) => string | undefined; digestOnly?: boolean };
  /** The signature must be made with a certificate this accepts (by SHA-1 thumbprint). */
  x509?: { accepts: (thumbprint: string) => boolean };
  /** How old a token's Created may be; 5 minutes unless told. */
  maxAgeMs?: number;
}

export type SecurityVerdict = { ok: true; username?: string; thumbprint?: string } | { ok: false; why: string };

/**
 * Checks a SOAP request's WS-Security header, either SOAP version, as a receiving back office
 * would: a UsernameToken (plain-text or digest password, fresh Created), an X.509
 * BinarySecurityToken whose signature covers this Body and a Timestamp that has not expired.
 */
export function verifyEnvelopeSecurity(envelope: string, required: SecurityRequirements): SecurityVerdict {
  let document: Document;
  try {
    document = new DOMParser().parseFromString(envelope, 'text/xml') as unknown as Document;
  } catch {
    return { ok: false, why: 'not XML' };
  }
  const one = (path: string, context: Node = document) => select(path, context, true) as Element | undefined;
  const security = one("/*[local-name()='Envelope']/*[local-name()='Header']/wsse:Security");
  if (!security) return { ok: false, why: 'no wsse:Security header' };
  const verdict: { username?: string; thumbprint?: string } = {};
  const maxAgeMs = required.maxAgeMs ?? 5 * 60_000;
  if (required.usernameToken) {
    const token = one('wsse:UsernameToken', security);
    const username = token && one('wsse:Username', token)?.textContent?.trim();
    const password = token && one('wsse:Password', token);
    if (!token || !username || !password) return { ok: false, why: 'no UsernameToken' };
    const expected = required.usernameToken.passwordOf(username);
    if (expected === undefined) return { ok: false, why: `unknown user ${username}` };
    const given = password.textContent ?? '';
    const created = one('wsu:Created', token)?.textContent ?? '';
    if (created && Math.abs(Date.now() - Date.parse(created)) > maxAgeMs) {
      return { ok: false, why: 'the UsernameToken is not fresh' };
    }
    if (password.getAttribute('Type') === passwordDigestType) {
      const nonce = one('wsse:Nonce', token)?.textContent ?? '';
      if (!nonce || !created) return { ok: false, why: 'a password digest needs a Nonce and Created' };
      if (passwordDigest(nonce, created, expected) !== given) return { ok: false, why: 'wrong password' };
    } else {
      if (required.usernameToken.digestOnly) return { ok: false, why: 'a plain-text password is not accepted' };
      if (given !== expected) return { ok: false, why: 'wrong password' };
    }
    verdict.username = username;
  }
  if (required.x509) {
    const token = one('wsse:BinarySecurityToken', security)?.textContent?.replace(/\s+/g, '');
    if (!token) return { ok: false, why: 'no BinarySecurityToken' };
    const pem = `-----BEGIN CERTIFICATE-----\n${token.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    let thumbprint: string;
    try {
      thumbprint = certificateThumbprint(pem);
    } catch {
      return { ok: false, why: 'the BinarySecurityToken is not an X.509 certificate' };
    }
    if (!required.x509.accepts(thumbprint)) return { ok: false, why: `certificate ${thumbprint} is not accepted` };
    const timestamp = one('wsu:Timestamp', security);
    const expires = timestamp && one('wsu:Expires', timestamp)?.textContent;
    if (!timestamp || !expires) return { ok: false, why: 'no wsu:Timestamp' };
    if (Date.parse(expires) < Date.now()) return { ok: false, why: 'the timestamp has expired' };
    const signatureNode = one('ds:Signature', security);
    if (!signatureNode) return { ok: false, why: 'no signature' };
    const signature = new SignedXml({ publicCert: pem });
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
    const body = one("/*[local-name()='Envelope']/*[local-name()='Body']");
    if (!body || !signedIds.includes(idOf(body) ?? '-')) return { ok: false, why: 'the Body is not signed' };
    if (!signedIds.includes(idOf(timestamp) ?? '-')) return { ok: false, why: 'the Timestamp is not signed' };
    verdict.thumbprint = thumbprint;
  }
  return { ok: true, ...verdict };
}

function idOf(element: Element): string | undefined {
  return element.getAttributeNS(wsuNs, 'Id') || element.getAttribute('Id') || undefined;
}
