import 'reflect-metadata'; // @peculiar/x509 needs it (tsyringe)
import { createPrivateKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { certificateThumbprint } from '@umg/e-delivery';
import { secureEnvelope } from './secure-envelope';
import { verifyEnvelopeSecurity } from './verify-envelope-security';

x509.cryptoProvider.set(webcrypto as never);
const rsa = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

async function identity() {
  const keys = (await webcrypto.subtle.generateKey(rsa, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=test',
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys: keys as never,
    signingAlgorithm: rsa,
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' });
  return { keyPem: keyPem.toString(), certificatePem: certificate.toString('pem') };
}

const envelope = (ns: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${ns}" xmlns:iz="urn:izgrev"><soap:Header></soap:Header>` +
  `<soap:Body><iz:Op><iz:A>1</iz:A></iz:Op></soap:Body></soap:Envelope>`;
const soap12 = 'http://www.w3.org/2003/05/soap-envelope';
const soap11 = 'http://schemas.xmlsoap.org/soap/envelope/';

describe('WS-Security on SOAP requests', () => {
  let signer: { keyPem: string; certificatePem: string };
  let thumbprint: string;
  beforeAll(async () => {
    signer = await identity();
    thumbprint = certificateThumbprint(signer.certificatePem);
  });
  const token = (passwordType: 'PasswordText' | 'PasswordDigest', password = 's3cret-of-izgrev') => ({
    username: 'umg-gateway',
    password,
    passwordType,
    nonce: true,
  });
  const users = { passwordOf: (name: string) => (name === 'umg-gateway' ? 's3cret-of-izgrev' : undefined) };

  it.each([soap11, soap12])('a UsernameToken with a digest password verifies, a wrong password does not (%s)', (ns) => {
    const secured = secureEnvelope(envelope(ns), 'soap', { usernameToken: token('PasswordDigest') });
    expect(secured).toContain('#PasswordDigest');
    expect(secured).toContain('<wsse:Nonce');
    expect(secured).not.toContain('s3cret-of-izgrev');
    expect(verifyEnvelopeSecurity(secured, { usernameToken: users })).toEqual({ ok: true, username: 'umg-gateway' });
    const wrong = secureEnvelope(envelope(ns), 'soap', { usernameToken: token('PasswordDigest', 'guess') });
    expect(verifyEnvelopeSecurity(wrong, { usernameToken: users })).toEqual({ ok: false, why: 'wrong password' });
  });

  it('a plain-text password verifies unless only digests are accepted', () => {
    const secured = secureEnvelope(envelope(soap12), 'soap', { usernameToken: token('PasswordText') });
    expect(verifyEnvelopeSecurity(secured, { usernameToken: users }).ok).toBe(true);
    expect(verifyEnvelopeSecurity(secured, { usernameToken: { ...users, digestOnly: true } })).toMatchObject({
      ok: false,
    });
  });

  it('an X.509 signature over Body and Timestamp verifies with xml-crypto; another key or a changed Body does not', async () => {
    const secured = secureEnvelope(envelope(soap12), 'soap', { x509: signer });
    expect(secured).toContain('wsse:BinarySecurityToken');
    const accepts = (candidate: string) => candidate === thumbprint;
    expect(verifyEnvelopeSecurity(secured, { x509: { accepts } })).toEqual({ ok: true, thumbprint });
    expect(verifyEnvelopeSecurity(secured.replace('<iz:A>1</iz:A>', '<iz:A>2</iz:A>'), { x509: { accepts } })).toEqual({
      ok: false,
      why: 'the signature does not verify',
    });
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const forged = secureEnvelope(envelope(soap12), 'soap', {
      x509: { keyPem: otherKey, certificatePem: signer.certificatePem },
    });
    expect(verifyEnvelopeSecurity(forged, { x509: { accepts } })).toEqual({
      ok: false,
      why: expect.stringMatching(/^signature: invalid signature/),
    });
    const stranger = await identity();
    const unknown = secureEnvelope(envelope(soap12), 'soap', { x509: stranger });
    expect(verifyEnvelopeSecurity(unknown, { x509: { accepts } })).toMatchObject({ ok: false });
  });

  it('both at once: a UsernameToken and a signature in one header', () => {
    const secured = secureEnvelope(envelope(soap12), 'soap', { usernameToken: token('PasswordDigest'), x509: signer });
    expect(secured.match(/<wsse:Security /g)).toHaveLength(1);
    expect(
      verifyEnvelopeSecurity(secured, {
        usernameToken: users,
        x509: { accepts: (candidate) => candidate === thumbprint },
      }),
    ).toEqual({ ok: true, username: 'umg-gateway', thumbprint });
  });
});
