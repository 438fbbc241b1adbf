import { createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { Application, Problem } from '@umg/contracts';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { initPki, issueClientCertificate, signRevocationList } from '../tools/pki/certificate-authority';
import { addOAuthClient } from '../tools/pki/oauth-client-file';
import { eventually, query } from './support/database';
import { districtApi } from './support/district-api';
import { oauthIssuer, overMutualTls, pki, pkiCommand, pkiDir } from './support/identity';
import { submitRouted } from './support/lifecycle';
import { testEnv } from './support/test-env';

const FREE = { serviceNumber: 2052, urgency: 'regular' as const };

/** District systems prove who they are with a client certificate or an OAuth2 access token. */
describe('district identities', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  let serdikaApplication: string;
  let triaditsaApplication: string;

  beforeAll(async () => {
    await portal.start();
    serdikaApplication = (await submitRouted(portal, { districtCode: 'serdika', ...FREE })).applicationId;
    triaditsaApplication = (await submitRouted(portal, { districtCode: 'triaditsa', ...FREE })).applicationId;
  }, 90_000);
  afterAll(() => portal.stop());

  describe('client certificates (mutual TLS)', () => {
    it("lets a valid certificate read its own district's application, and only that", async () => {
      const certificate = await issueClientCertificate(pkiDir, { districtCode: 'serdika' });
      const own = await overMutualTls<Application>(`/v1/applications/${serdikaApplication}`, certificate);
      expect(own.status).toBe(200);
      expect(own.body.id).toBe(serdikaApplication);
      const other = await overMutualTls<Problem>(`/v1/applications/${triaditsaApplication}`, certificate);
      expect(other.status).toBe(404);
    });

    it.each([
      ['no certificate', undefined, 'client_certificate_required'],
      [
        'an expired certificate',
        () => issueClientCertificate(pkiDir, { districtCode: 'serdika', days: -1 }),
        'client_certificate_expired',
      ],
      [
        "another CA's certificate",
        async () => {
          const foreign = mkdtempSync(join(tmpdir(), 'umg-foreign-ca-'));
          await initPki(foreign, 'Not the gateway CA');
          return issueClientCertificate(foreign, { districtCode: 'serdika' });
        },
        'client_certificate_untrusted',
      ],
    ] as const)('refuses %s with 401 problem+json', async (_name, make, code) => {
      const certificate = make ? await make() : undefined;
      const answer = await overMutualTls<Problem>(`/v1/applications/${serdikaApplication}`, certificate);
      expect(answer.status).toBe(401);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.code).toBe(code);
      expect(JSON.stringify(answer.body)).not.toContain('Сердика'); // nothing of the application leaks
    });

    it('refuses a certificate once it is revoked by the PKI command, without a restart', async () => {
      const certificate = await issueClientCertificate(pkiDir, { districtCode: 'serdika' });
      expect((await overMutualTls(`/v1/applications/${serdikaApplication}`, certificate)).status).toBe(200);

      const revoked = pkiCommand(['revoke', certificate.serial, '--reason', 'key compromise']);
      expect(revoked.output).toContain(`revoked ${certificate.serial}`);
      expect(revoked.status).toBe(0);

      const refused = await eventually(
        () => overMutualTls<Problem>(`/v1/applications/${serdikaApplication}`, certificate),
        (answer) => answer.status !== 200,
        15_000,
      );
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('client_certificate_revoked');
      const listed = pkiCommand(['list']);
      expect(listed.output).toMatch(new RegExp(`${certificate.serial}\\s+serdika\\s+\\S+\\s+\\S+\\s+\\d{4}-`));

      // Someone with write access to the database deletes the revocation: the register row and the
      // newest signed list. The gateway trusts only a list the CA signed and never goes back to an
      // older one, so the certificate stays out (refused as revoked, or 503 while no list is current).
      await query(`DELETE FROM gateway.revoked_client_certificate WHERE serial = $1`, [certificate.serial]);
      await query(`DELETE FROM gateway.client_certificate_revocation_list
        WHERE crl_number = (SELECT max(crl_number) FROM gateway.client_certificate_revocation_list)`);
      const afterDeletion = await eventually(
        () => overMutualTls<Problem>(`/v1/applications/${serdikaApplication}`, certificate),
        (answer) => answer.status === 503,
        15_000,
      );
      expect(afterDeletion.body.code).toBe('revocation_check_unavailable');
      // The signer's next list (from its own record beside the CA key) still revokes it.
      expect(pkiCommand(['crl']).status).toBe(0);
      const again = await eventually(
        () => overMutualTls<Problem>(`/v1/applications/${serdikaApplication}`, certificate),
        (answer) => answer.status !== 503,
        15_000,
      );
      expect([again.status, again.body.code]).toEqual([401, 'client_certificate_revoked']);
    });

    it('refuses every certificate while the newest published list is forged (a list the CA did not sign)', async () => {
      const certificate = await issueClientCertificate(pkiDir, { districtCode: 'serdika' });
      expect((await overMutualTls(`/v1/applications/${serdikaApplication}`, certificate)).status).toBe(200);
      const forger = mkdtempSync(join(tmpdir(), 'umg-forger-'));
      await initPki(forger, 'UMG Gateway CA');
      const [{ next }] = await query<{ next: string }>(
        `SELECT max(crl_number) + 1 AS next FROM gateway.client_certificate_revocation_list`,
      );
      const forged = await signRevocationList(forger, {
        published: {
          crlNumber: Number(next) - 1,
          thisUpdate: new Date(),
          nextUpdate: new Date(),
          revoked: new Map(),
          issuer: '',
        },
      });
      await query(`INSERT INTO gateway.client_certificate_revocation_list (crl_number, der) VALUES ($1, $2)`, [
        forged.list.crlNumber,
        forged.der,
      ]);
      try {
        const refused = await eventually(
          () => overMutualTls<Problem>(`/v1/applications/${serdikaApplication}`, certificate),
          (answer) => answer.status !== 200,
          15_000,
        );
        expect([refused.status, refused.body.code]).toEqual([503, 'revocation_check_unavailable']);
      } finally {
        await query(`DELETE FROM gateway.client_certificate_revocation_list WHERE crl_number = $1`, [
          forged.list.crlNumber,
        ]);
        expect(pkiCommand(['crl']).status).toBe(0);
      }
      const back = await eventually(
        () => overMutualTls(`/v1/applications/${serdikaApplication}`, certificate),
        (answer) => answer.status === 200,
        15_000,
      );
      expect(back.status).toBe(200);
    });
  });

  describe('OAuth2 client credentials', () => {
    let readWrite: { clientId: string; secret: string };
    let readOnly: { clientId: string; secret: string };

    beforeAll(async () => {
      readWrite = { clientId: `serdika-rw-${randomUUID().slice(0, 8)}`, secret: '' };
      readWrite.secret = await addOAuthClient(pki.oauthClients, {
        clientId: readWrite.clientId,
        districtCode: 'serdika',
        scopes: ['applications:read', 'applications:write'],
      });
      readOnly = { clientId: `serdika-ro-${randomUUID().slice(0, 8)}`, secret: '' };
      readOnly.secret = await addOAuthClient(pki.oauthClients, {
        clientId: readOnly.clientId,
        districtCode: 'serdika',
        scopes: ['applications:read'],
      });
    });

    const tokenRequest = (form: Record<string, string>, basic?: { clientId: string; secret: string }) =>
      fetch(`${testEnv.gatewayUrl}/oauth/token`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...(basic
            ? { Authorization: `Basic ${Buffer.from(`${basic.clientId}:${basic.secret}`).toString('base64')}` }
            : {}),
        },
        body: new URLSearchParams(form).toString(),
      });

    const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

    it('issues a short-lived ES256 token to a client with HTTP Basic, and the token reads its district', async () => {
      const response = await tokenRequest({ grant_type: 'client_credentials' }, readWrite);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const token = (await response.json()) as {
        access_token: string;
        token_type: string;
        expires_in: number;
        scope: string;
      };
      expect(token).toMatchObject({
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'applications:read applications:write',
      });
      const [header, payload] = token.access_token
        .split('.')
        .slice(0, 2)
        .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
      expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
      expect(payload).toMatchObject({
        iss: oauthIssuer,
        aud: 'umg-district-api',
        sub: readWrite.clientId,
        district: 'serdika',
      });
      expect(payload.exp - payload.iat).toBeLessThanOrEqual(300);
      expect(payload.jti).toEqual(expect.any(String));

      const own = await districtApi<Application>(
        null,
        'GET',
        `/v1/applications/${serdikaApplication}`,
        bearer(token.access_token),
      );
      expect(own.status).toBe(200);
      expect(own.body.id).toBe(serdikaApplication);
      const other = await districtApi(
        null,
        'GET',
        `/v1/applications/${triaditsaApplication}`,
        bearer(token.access_token),
      );
      expect(other.status).toBe(404);
    });

    it('takes the client credentials in the form body too, and refuses a wrong secret', async () => {
      const good = await tokenRequest({
        grant_type: 'client_credentials',
        client_id: readOnly.clientId,
        client_secret: readOnly.secret,
      });
      expect(good.status).toBe(200);
      const wrong = await tokenRequest({
        grant_type: 'client_credentials',
        client_id: readOnly.clientId,
        client_secret: 'not-the-secret',
      });
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as Problem).code).toBe('invalid_client');
      const scope = await tokenRequest({ grant_type: 'client_credentials', scope: 'applications:write' }, readOnly);
      expect(scope.status).toBe(400);
      expect(((await scope.json()) as Problem).code).toBe('invalid_scope');
    });

    it('refuses a write with a read-only token: 403 insufficient_scope', async () => {
      const response = await tokenRequest({ grant_type: 'client_credentials' }, readOnly);
      const { access_token: token } = (await response.json()) as { access_token: string };
      const answer = await districtApi<Problem>(null, 'POST', `/v1/applications/${serdikaApplication}/registration`, {
        body: { registrationNumber: 'СРД-scope' },
        headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': randomUUID(), 'If-Match': '"2"' },
      });
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('insufficient_scope');
      expect(answer.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
      const read = await districtApi(null, 'GET', `/v1/applications/${serdikaApplication}`, bearer(token));
      expect(read.status).toBe(200);
    });

    const gatewayKey = () => createPrivateKey(readFileSync(pki.oauthSigningKey));
    const forged = (key: ReturnType<typeof createPrivateKey>, claims: { aud?: string; exp?: number; iat?: number }) =>
      new SignJWT({ district: 'serdika', scope: 'applications:read applications:write' })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
        .setIssuer(oauthIssuer)
        .setAudience(claims.aud ?? 'umg-district-api')
        .setSubject('forger')
        .setJti(randomUUID())
        .setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000))
        .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 120)
        .sign(key);

    it.each([
      ['the wrong audience', () => forged(gatewayKey(), { aud: 'umg-operator' })],
      [
        'an expired token',
        () =>
          forged(gatewayKey(), { iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 300 }),
      ],
      ['a signature by another key', () => forged(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, {})],
      ['a token that is no JWT', () => Promise.resolve('not-a-token')],
    ])('refuses %s with 401 invalid_token', async (_name, make) => {
      const answer = await districtApi<Problem>(
        null,
        'GET',
        `/v1/applications/${serdikaApplication}`,
        bearer(await make()),
      );
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('invalid_token');
      expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });

    it('accepts a correctly signed token of its own (the forging helper is sound)', async () => {
      const answer = await districtApi(
        null,
        'GET',
        `/v1/applications/${serdikaApplication}`,
        bearer(await forged(gatewayKey(), {})),
      );
      expect(answer.status).toBe(200);
    });
  });
});
