import { createPrivateKey, type KeyObject } from 'node:crypto';
import { WSSecurity, WSSecurityCert, WSSecurityPlusCert } from 'soap';

/** How a SOAP request is secured: a UsernameToken, an X.509 signature, or both. */
export interface EnvelopeSecurity {
  usernameToken?: {
    username: string;
    password: string;
    passwordType: 'PasswordText' | 'PasswordDigest';
    /** A nonce (always sent with a digest; optional with a plain-text password). */
    nonce: boolean;
  };
  /** Signs the Body and the Timestamp with this key; the certificate travels as a BinarySecurityToken. */
  x509?: { keyPem: string; certificatePem: string };
}

const rsaSha256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const sha256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** Keys parsed once per PEM: parsing is half of what an RSA signature costs (issue 19). */
const privateKeys = new Map<string, KeyObject>();

function privateKeyOf(pem: string): KeyObject {
  let key = privateKeys.get(pem);
  if (!key) {
    key = createPrivateKey(pem);
    // A process signs with a handful of keys; a rotated one is simply forgotten with the rest.
    if (privateKeys.size >= 32) privateKeys.clear();
    privateKeys.set(pem, key);
  }
  return key;
}

/**
 * Adds a wsse:Security header to a serialized envelope whose prefix is `envelopePrefix` (either
 * SOAP version: the `soap` package's WS-Security classes find the Header and Body by name). The
 * envelope must have an explicit `<prefix:Header></prefix:Header>`.
 */
export function secureEnvelope(xml: string, envelopePrefix: string, security: EnvelopeSecurity): string {
  const token = security.usernameToken;
  const username =
    token &&
    new WSSecurity(token.username, token.password, {
      passwordType: token.passwordType,
      hasNonce: token.nonce,
      hasTokenCreated: true,
      // With a signature, the signer adds the (signed) Timestamp; two would be ambiguous.
      hasTimeStamp: !security.x509,
      mustUnderstand: true,
      envelopeKey: envelopePrefix,
    });
  const certificate =
    security.x509 &&
    new WSSecurityCert(privateKeyOf(security.x509.keyPem), security.x509.certificatePem, '', {
      hasTimeStamp: true,
      signatureAlgorithm: rsaSha256,
      digestAlgorithm: sha256,
    });
  if (username && certificate) return new WSSecurityPlusCert(username, certificate).postProcess(xml, envelopePrefix);
  if (certificate) return certificate.postProcess(xml, envelopePrefix);
  if (username) {
    const end = xml.indexOf(`</${envelopePrefix}:Header>`);
    if (end < 0) throw new Error('the envelope has no Header to put the security header in');
    return xml.slice(0, end) + username.toXML() + xml.slice(end);
  }
  return xml;
}
