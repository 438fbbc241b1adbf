import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { districts } from '@umg/catalogue';
import type { ApplicationPage, Problem } from '@umg/contracts';
import { exchangeLogKeyFiles } from '@umg/config';
import { chainedRecordOf, publicKeysOf, verifyChain } from '@umg/exchange-log';
import { query } from './support/database';
import { districtApi } from './support/district-api';
import { districtKeys, testEnv } from './support/test-env';

/** Given: one application (with one attachment) in each of the 24 districts. */
async function applicationPerDistrict(): Promise<Map<string, { applicationId: string; attachmentId: string }>> {
  const owned = new Map<string, { applicationId: string; attachmentId: string }>();
  for (const district of districts) {
    const applicationId = randomUUID();
    const attachmentId = randomUUID();
    await query(
      `INSERT INTO applications.application (id, portal_application_id, service_reference_number, service_number,
         service_name, district_code, urgency, status, applicant, delivery_channel, form_data, submitted_at,
         received_at, version, updated_at)
       VALUES ($1, $2, 'RNU-matrix', 2052, 'Удостоверение', $3, 'regular', 'routed',
         '{"identifierType":"EGN","identifier":"8001010008","name":"Тест Тестов"}', 'desk', '{}', now(), now(), 2, now())`,
      [applicationId, `MATRIX-${applicationId}`, district.code],
    );
    await query(
      `INSERT INTO applications.attachment (id, application_id, portal_attachment_id, file_name, media_type, size, sha256, content)
       VALUES ($1, $2, 'ATT-1', 'a.pdf', 'application/pdf', 4, $3, '\\x25504446')`,
      [attachmentId, applicationId, createHash('sha256').update('%PDF').digest('hex')],
    );
    owned.set(district.code, { applicationId, attachmentId });
  }
  return owned;
}

describe('security', () => {
  it('refuses every district API operation on every other district’s application (24 × 24)', async () => {
    const owned = await applicationPerDistrict();
    const attempts: Promise<[string, string, string, number]>[] = [];
    const check = (caller: string, owner: string, operation: string, request: Promise<{ status: number }>) =>
      attempts.push(request.then((answer) => [caller, owner, operation, answer.status]));

    for (const caller of districts.map((district) => district.code)) {
      for (const [owner, { applicationId, attachmentId }] of owned) {
        const path = `/v1/applications/${applicationId}`;
        const write = () => ({ headers: { 'If-Match': '"2"', 'Idempotency-Key': randomUUID() } });
        check(caller, owner, 'read', districtApi(caller, 'GET', path));
        check(caller, owner, 'attachment', districtApi(caller, 'GET', `${path}/attachments/${attachmentId}`));
        check(
          caller,
          owner,
          'register',
          districtApi(caller, 'POST', `${path}/registration`, { ...write(), body: { registrationNumber: 'X-1' } }),
        );
        check(
          caller,
          owner,
          'return',
          districtApi(caller, 'POST', `${path}/return-for-corrections`, {
            ...write(),
            body: { reasons: [{ message: 'x' }] },
          }),
        );
        check(
          caller,
          owner,
          'refuse',
          districtApi(caller, 'POST', `${path}/refusal`, { ...write(), body: { reasons: [{ message: 'x' }] } }),
        );
        check(caller, owner, 'process', districtApi(caller, 'POST', `${path}/processing`, { ...write(), body: {} }));
      }
      // Wait per caller: keeps the burst inside each district's rate limit.
      await Promise.all(attempts.slice(-owned.size * 6));
    }
    const results = await Promise.all(attempts);
    const foreign = results.filter(([caller, owner]) => caller !== owner);
    const own = results.filter(([caller, owner]) => caller === owner);

    expect(foreign).toHaveLength(24 * 23 * 6);
    expect(foreign.filter(([, , , status]) => status !== 404)).toEqual([]);
    // The positive control: each district reaches its own application (reads 200, the first write 200).
    expect(own.filter(([, , operation, status]) => operation === 'read' && status !== 200)).toEqual([]);
    const registeredOwn = await query<{ count: string }>(
      `SELECT count(*) FROM applications.application WHERE id = ANY($1::uuid[]) AND status <> 'routed'`,
      [[...owned.values()].map((entry) => entry.applicationId)],
    );
    expect(Number(registeredOwn[0]!.count)).toBe(24);

    // Nor do lists show another district's applications.
    for (const caller of ['sredets', 'lyulin', 'bankya']) {
      const page = await districtApi<ApplicationPage>(caller, 'GET', '/v1/applications?limit=200');
      expect(page.body.items.every((item) => item.districtCode === caller)).toBe(true);
    }
  });

  it('answers a flood from one district with 429 and Retry-After while another district is served', async () => {
    const flood = await Promise.all(
      Array.from({ length: 1200 }, () => districtApi<Problem>('izgrev', 'GET', '/v1/applications?limit=1')),
    );
    const other = await districtApi('lozenets', 'GET', '/v1/applications?limit=1');

    const limited = flood.filter((answer) => answer.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited[0]!.body.code).toBe('too_many_requests');
    expect(flood.filter((answer) => ![200, 429].includes(answer.status))).toEqual([]);
    expect(other.status).toBe(200);
  });

  it('keeps a signed exchange log whose verifier, holding only public keys, names altered, deleted and forged records', async () => {
    const verify = (...args: string[]) =>
      execFileSync(process.execPath, [join(__dirname, '../dist/tools/exchange-log/verify.js'), ...args], {
        env: { ...process.env, DATABASE_URL: testEnv.databaseUrl, PKI_DIR: process.env.TEST_PKI_DIR },
      }).toString();
    await query('DROP SCHEMA IF EXISTS tamper_check CASCADE');
    // Every service keeps its own chain (district API, portal, payment system, e-delivery, back offices).
    const intact = verify();
    for (const schema of ['applications', 'delivery', 'districts', 'gateway', 'payments']) {
      expect(intact).toMatch(new RegExp(`^${schema}: \\d+ records, chain intact`, 'm'));
    }
    // This test's own requests above are in the gateway's chain, whatever ran before.
    expect(intact).toMatch(/^gateway: [1-9]\d* records/m);
    // Tamper with a copy, so the live chain stays intact for the other tests.
    await query('CREATE SCHEMA tamper_check');
    await query('CREATE TABLE tamper_check.exchange_log AS SELECT * FROM gateway.exchange_log ORDER BY seq LIMIT 10');
    await query(`UPDATE tamper_check.exchange_log SET outcome = '999' WHERE seq = 3`);
    await query('DELETE FROM tamper_check.exchange_log WHERE seq = 6');
    // A forged record appended without the gateway's key: linked correctly, but unsigned.
    await query(
      `INSERT INTO tamper_check.exchange_log (seq, occurred_at, party, direction, operation, request_id, request_hash,
         outcome, prev_hash, hash)
       SELECT 11, occurred_at, 'district:forged', direction, operation, request_id, request_hash, outcome, hash,
         repeat('a', 64)
       FROM tamper_check.exchange_log WHERE seq = 10`,
    );
    let output = '';
    let exitCode = 0;
    try {
      verify('--schema', 'tamper_check', '--service', 'gateway');
    } catch (error) {
      output = String((error as { stdout: Buffer }).stdout);
      exitCode = (error as { status: number }).status;
    }
    await query('DROP SCHEMA tamper_check CASCADE');

    expect(exitCode).toBe(1);
    expect(output).toContain('seq 3: altered');
    expect(output).toContain('seq 7: deleted_before');
    expect(output).toContain('seq 11: unsigned');

    const rows = await query<Record<string, unknown>>('SELECT * FROM gateway.exchange_log ORDER BY seq');
    const records = rows.map(chainedRecordOf);
    const publicKeys = publicKeysOf([
      readFileSync(exchangeLogKeyFiles(process.env.TEST_PKI_DIR!, 'gateway').publicKey),
    ]);
    expect(verifyChain(records, { publicKeys }).problems).toEqual([]);
    // No personal identifiers in the log: parties, routes and ids only.
    expect(rows.some((row) => JSON.stringify(row).includes('8001010008'))).toBe(false);
  });

  it('sends security headers, keeps CORS closed, and answers malformed or oversized bodies with problems', async () => {
    const health = await fetch(`${testEnv.gatewayUrl}/health/live`);
    const preflight = await fetch(`${testEnv.gatewayUrl}/v1/applications`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    const malformed = await fetch(`${testEnv.gatewayUrl}/v1/applications/${randomUUID()}/registration`, {
      method: 'POST',
      headers: { 'X-Api-Key': districtKeys.serdika!, 'Content-Type': 'application/json' },
      body: '{"registrationNumber": ',
    });
    const oversized = await fetch(`${testEnv.gatewayUrl}/v1/applications/${randomUUID()}/registration`, {
      method: 'POST',
      headers: { 'X-Api-Key': districtKeys.serdika!, 'Content-Type': 'application/json' },
      body: JSON.stringify({ registrationNumber: 'x'.repeat(2 * 1024 * 1024) }),
    });

    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('content-security-policy')).toBeTruthy();
    expect(health.headers.get('x-powered-by')).toBeNull();
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Problem).code).toBe('malformed_json');
    expect(oversized.status).toBe(413);
    expect(oversized.headers.get('content-type')).toContain('application/problem+json');
  });
});
