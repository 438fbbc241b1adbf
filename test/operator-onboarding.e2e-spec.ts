import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { findDistrict } from '@umg/catalogue';
import type { DistrictsInternal, OperatorApi, Problem } from '@umg/contracts';
import { demoBankDetails } from '../tools/dev/demo-onboarding';
import { signedHeaders } from '../tools/simulators/district-back-office/signature';
import { eventually, query } from './support/database';
import { backOffice, backOfficeUrls } from './support/districts';
import { type OperatorSession, signedInOperator } from './support/operator-session';
import { testEnv } from './support/test-env';

type Schemas = DistrictsInternal.components['schemas'];
type District = Schemas['District'];
type SecretMetadata = Schemas['DistrictSecretMetadata'];
type ConformanceRun = Schemas['ConformanceRun'];
type DistrictService = Schemas['DistrictService'];
type DistrictOverview = OperatorApi.components['schemas']['DistrictOverview'];

/**
 * Issue 17, onboarding: an administrator brings a new push district on through the operator API
 * alone — adapter profile, HMAC secret (stored sealed, rotated without a restart), bank details
 * that reach the payments service, e-delivery identity, a conformance run watched step by step,
 * pilot, two services — and every step is in the district's audit trail under their name.
 */
describe('operator API: onboarding a push district end to end', () => {
  // Not a pilot, and no other test uses it: it goes from not_started to pilot here.
  const code = 'krasna-polyana';
  const base = `/operator/v1/districts/${code}`;
  const firstSecret = `first-${randomBytes(24).toString('hex')}`;
  const secondSecret = `second-${randomBytes(24).toString('hex')}`;
  const fingerprint = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 12);
  let administrator: OperatorSession;
  let viewer: OperatorSession;
  let actor: string;

  beforeAll(async () => {
    administrator = await signedInOperator('administrator', 'onboarding');
    viewer = await signedInOperator('viewer', 'onboarding');
    actor = `operator:${administrator.username}`;
  }, 60_000);

  afterAll(async () => {
    await backOffice.setMode('json', code, 'ok');
  });

  async function runConformance(): Promise<ConformanceRun> {
    const started = await administrator.call<ConformanceRun>('POST', `${base}/conformance-runs`);
    expect(started.status).toBe(201);
    return started.body;
  }

  it('gives a district without a push profile one, and edits it: versioned, audited with the administrator', async () => {
    const before = await viewer.call<DistrictOverview>('GET', base);
    expect(before.body.district.profile.adapterStyle).toBe('pull');
    const endpoint = `${backOfficeUrls.json}/json/${code}/applications`;
    const byViewer = await viewer.call<Problem>('PATCH', `${base}/profile`, {
      adapterStyle: 'push_json',
      endpoint,
      reason: 'viewer tries',
    });
    expect(byViewer.status).toBe(403);

    const created = await administrator.call<District>('PATCH', `${base}/profile`, {
      adapterStyle: 'push_json',
      endpoint,
      reason: 'the district’s back office takes JSON pushes',
    });
    expect(created.status).toBe(200);
    expect(created.body.profile).toMatchObject({ adapterStyle: 'push_json', endpoint });
    expect(created.body.profileVersion).toBe(before.body.district.profileVersion + 1);

    const edited = await administrator.call<District>('PATCH', `${base}/profile`, {
      contacts: [{ role: 'it', name: 'Район Красна поляна — ИТ отдел' }],
      reason: 'the district named its IT contact',
    });
    expect(edited.status).toBe(200);
    // Contacts do not change how the gateway talks to the back office: the same profile version.
    expect(edited.body.profileVersion).toBe(created.body.profileVersion);
    const notAUrl = await administrator.call<Problem>('PATCH', `${base}/profile`, {
      endpoint: 'no url',
      reason: 'typo',
    });
    expect(notAUrl.status).toBe(400);

    const moved = await administrator.call<District>('POST', `${base}/phase`, {
      phase: 'onboarding',
      reason: 'onboarding starts',
    });
    expect(moved.status).toBe(200);
    const audit = (await viewer.call<DistrictOverview>('GET', base)).body.audit;
    expect(audit.filter((entry) => entry.change === 'profile').map((entry) => entry.actor)).toEqual([actor, actor]);
  });

  it('sets the secret sealed in the database and shows only its metadata, never the value', async () => {
    const none = await viewer.call<SecretMetadata>('GET', `${base}/secret`);
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ set: false, version: null, fingerprint: null });
    expect(
      (await viewer.call<Problem>('PUT', `${base}/secret`, { secret: firstSecret, reason: 'viewer' })).status,
    ).toBe(403);
    const short = await administrator.call<Problem>('PUT', `${base}/secret`, { secret: 'short', reason: 'too short' });
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('validation_failed');

    const set = await administrator.call<SecretMetadata>('PUT', `${base}/secret`, {
      secret: firstSecret,
      reason: 'the secret agreed with the district',
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ set: true, version: 1, fingerprint: fingerprint(firstSecret), setBy: actor });
    expect(JSON.stringify(set.body)).not.toContain(firstSecret);
    const read = await viewer.call<SecretMetadata>('GET', `${base}/secret`);
    expect(read.body).toEqual(set.body);
    expect(JSON.stringify(read.body)).not.toContain(firstSecret);

    // At rest: sealed, not the secret; the audit has its version and fingerprint only.
    const [row] = await query<{ sealed: string }>(
      `SELECT sealed FROM districts.district_secret WHERE district_code = $1 AND version = 1`,
      [code],
    );
    expect(row!.sealed).not.toContain(firstSecret);
    const audit = (await viewer.call<DistrictOverview>('GET', base)).body.audit;
    expect(audit[0]).toMatchObject({
      change: 'secret',
      actor,
      after: { version: 1, fingerprint: fingerprint(firstSecret) },
    });
    expect(JSON.stringify(audit)).not.toContain(firstSecret);
    // The district's back office holds the same secret.
    await backOffice.setSecret('json', code, firstSecret);
  });

  it('takes the district’s confirmed bank details to the payments service and refuses invalid or placeholder ones', async () => {
    const bank = demoBankDetails(findDistrict(code)!.no);
    const badIban = await administrator.call<Problem>('PUT', `${base}/payee`, {
      bank: {
        ...bank,
        iban: bank.iban.replace(/..$/, (digits) => String((Number(digits) + 1) % 100).padStart(2, '0')),
      },
      reason: 'a typo in the IBAN',
    });
    expect(badIban.status).toBe(400);
    const placeholder = await administrator.call<Problem>('PUT', `${base}/payee`, {
      bank: { ...bank, placeholder: true },
      reason: 'not confirmed yet',
    });
    expect(placeholder.status).toBe(400);
    const seeded = (await viewer.call<DistrictOverview>('GET', base)).body.district.bank;
    const seededAgain = await administrator.call<Problem>('PUT', `${base}/payee`, {
      bank: { ...seeded, placeholder: false },
      reason: 'the seeded account, claimed to be real',
    });
    expect(seededAgain.status).toBe(400);

    const confirmed = await administrator.call<District>('PUT', `${base}/payee`, {
      bank,
      reason: 'the district confirmed the account its fees are paid into',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.bank).toEqual(bank);
    await eventually(
      () =>
        query<{ iban: string; placeholder: boolean }>(
          `SELECT iban, placeholder FROM payments.district_payee WHERE district_code = $1`,
          [code],
        ),
      (rows) => rows[0]?.iban === bank.iban && rows[0].placeholder === false,
    );
  });

  it('sets the district’s e-delivery identity', async () => {
    const identity = { unitIdentifier: '0006963270099', certificateThumbprint: null, signingKeyRef: code };
    const invalid = await administrator.call<Problem>('PUT', `${base}/e-delivery`, {
      ...identity,
      unitIdentifier: '12',
      reason: 'typo',
    });
    expect(invalid.status).toBe(400);
    const set = await administrator.call<District>('PUT', `${base}/e-delivery`, {
      ...identity,
      reason: 'the district’s unit in e-delivery',
    });
    expect(set.status).toBe(200);
    expect(set.body.eDelivery).toEqual(identity);
    const audit = (await viewer.call<DistrictOverview>('GET', base)).body.audit;
    expect(audit[0]).toMatchObject({ change: 'e_delivery', actor, after: identity });
  });

  it('runs the conformance suite and lets a viewer watch its steps while it runs', async () => {
    // Each exchange takes 700 ms, so the run can be seen in progress.
    await backOffice.setMode('json', code, 'slow', 700);
    const started = runConformance();
    const seen = new Set<string>();
    let runId: number | undefined;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const runs = await viewer.call<ConformanceRun[]>('GET', `${base}/conformance-runs`);
      const run = runs.body.find((candidate) => candidate.actor === actor);
      if (run) {
        runId = run.id;
        const one = await viewer.call<ConformanceRun>('GET', `${base}/conformance-runs/${run.id}`);
        seen.add(`${one.body.status}:${one.body.checks.map((check) => check.state).join(',')}`);
        if (one.body.status !== 'running') break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const finished = await started;
    await backOffice.setMode('json', code, 'ok');
    expect(finished.id).toBe(runId);
    expect(finished.status).toBe('passed');
    // Seen live: the run running with its first step under way and the others not started.
    expect([...seen]).toContain('running:running,pending,pending');
    const run = await viewer.call<ConformanceRun>('GET', `${base}/conformance-runs/${finished.id}`);
    expect(run.body.checks.map((check) => [check.name, check.state])).toEqual([
      ['new_application_answered', 'passed'],
      ['status_change_acknowledged', 'passed'],
      ['wrong_signature_refused', 'passed'],
    ]);
    for (const check of run.body.checks) {
      expect(Date.parse(check.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(check.startedAt!));
    }
    expect(run.body.checks[0]!.detail).toMatch(/^register as /);
    expect((await viewer.call<Problem>('GET', `${base}/conformance-runs/999999999`)).status).toBe(404);
  });

  it('rotates the secret without a restart: pushes are signed with the new one within seconds', async () => {
    const rotated = await administrator.call<SecretMetadata>('PUT', `${base}/secret`, {
      secret: secondSecret,
      reason: 'yearly rotation',
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ version: 2, fingerprint: fingerprint(secondSecret) });
    // The back office now accepts only the new secret; a push signed with the old one is refused (401).
    await backOffice.setSecret('json', code, secondSecret);
    const run = await eventually(
      () => runConformance(),
      (candidate) => candidate.status === 'passed',
      10_000,
    );
    expect(run.checks.every((check) => check.passed)).toBe(true);

    // Answers from the back office: the previous secret still verifies during its grace period, a wrong one never.
    const answer = (secret: string) => {
      // Not a valid answer (an unknown field): checked only after the signature, so 400 means signed, 401 not.
      const body = JSON.stringify({
        applicationId: randomUUID(),
        decision: 'refuse',
        backOfficeReference: 'X',
        extra: 1,
      });
      return fetch(`${testEnv.districtsCallbackUrl}/back-office/${code}/decisions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...signedHeaders(secret, body) },
        body,
      });
    };
    expect((await answer(secondSecret)).status).toBe(400);
    expect((await answer(firstSecret)).status).toBe(400);
    expect((await answer(`wrong-${randomBytes(24).toString('hex')}`)).status).toBe(401);
  });

  it('moves the district to pilot and enables two services, each with its history', async () => {
    const pilot = await administrator.call<District>('POST', `${base}/phase`, {
      phase: 'pilot',
      reason: 'conformance passed, bank details confirmed',
    });
    expect(pilot.status).toBe(200);
    expect(pilot.body.phase).toBe('pilot');

    const services = await viewer.call<DistrictService[]>('GET', `${base}/service-phases`);
    expect(services.status).toBe(200);
    const enableable = services.body.filter((service) => service.catalogueGaps.length === 0).slice(0, 2);
    expect(enableable).toHaveLength(2);
    for (const service of enableable) {
      expect(service.phase).toBe('not_started');
      const byViewer = await viewer.call<Problem>('PUT', `${base}/service-phases/${service.serviceNumber}`, {
        phase: 'pilot',
        reason: 'viewer',
      });
      expect(byViewer.status).toBe(403);
      const moved = await administrator.call<DistrictService>(
        'PUT',
        `${base}/service-phases/${service.serviceNumber}`,
        {
          phase: 'pilot',
          reason: 'first services of the pilot',
        },
      );
      expect(moved.status).toBe(200);
      expect(moved.body.phase).toBe('pilot');
      expect(moved.body.history![0]).toMatchObject({
        from: 'not_started',
        to: 'pilot',
        actor,
        reason: 'first services of the pilot',
      });
    }
    const numbers = enableable.map((service) => service.serviceNumber);
    const overview = (await viewer.call<DistrictOverview>('GET', base)).body;
    expect(overview.enabledServices.map((service) => service.serviceNumber).sort()).toEqual([...numbers].sort());
    const offered = (await viewer.call<DistrictService[]>('GET', `${base}/service-phases`)).body.filter(
      (service) => service.phase === 'pilot',
    );
    expect(offered.map((service) => service.serviceNumber).sort()).toEqual([...numbers].sort());

    // Every step of the onboarding is in the audit under the administrator's name.
    const changes = overview.audit.filter((entry) => entry.actor === actor).map((entry) => entry.change);
    for (const change of ['profile', 'secret', 'e_delivery', 'phase', 'service_enablement']) {
      expect(changes).toContain(change);
    }
  });
});
