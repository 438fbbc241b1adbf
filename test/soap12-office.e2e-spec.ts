import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDistrict } from '@umg/catalogue';
import type { DistrictsInternal, Problem } from '@umg/contracts';
import { demoBankDetails } from '../tools/dev/demo-onboarding';
import { EDeliveryControl } from '../tools/simulators/e-delivery/e-delivery-control';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { eventually, query } from './support/database';
import { backOffice, backOfficeUrls } from './support/districts';
import { submitRouted } from './support/lifecycle';
import { type OperatorSession, signedInOperator } from './support/operator-session';
import { paymentRequestsOf, simulator } from './support/payments';
import { testEnv } from './support/test-env';

type Schemas = DistrictsInternal.components['schemas'];
type District = Schemas['District'];
type ConformanceRun = Schemas['ConformanceRun'];
type DistrictService = Schemas['DistrictService'];

/**
 * Issue 18 (6b): a SOAP 1.2 back office with its own nested vocabulary, WS-Security (a
 * UsernameToken with a digest of the district's secret, and an X.509 signature) and MTOM results,
 * onboarded by configuration alone through the operator API — the mapping is
 * docs/examples/izgrev-soap-profile.json, nothing in services/ knows this office — passes
 * conformance (its wrong-credentials step tests the WS-Security, not the HMAC the office ignores),
 * registers applications, answers the paid status change with the result as an MTOM attachment,
 * and its business faults become decisions.
 */
describe('a SOAP 1.2 back office with WS-Security and MTOM, onboarded by configuration', () => {
  const code = 'izgrev';
  const base = `/operator/v1/districts/${code}`;
  const secret = `izgrev-${randomBytes(24).toString('hex')}`;
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const eDelivery = new EDeliveryControl(testEnv.eDeliveryUrl);
  const profile = JSON.parse(
    readFileSync(join(__dirname, '../docs/examples/izgrev-soap-profile.json'), 'utf8').replace(
      '${BACK_OFFICE_SOAP12_URL}',
      backOfficeUrls.soap12,
    ),
  ) as Record<string, unknown> & { mapping: Record<string, unknown> };
  let administrator: OperatorSession;
  // A service with a fee (certificate of heirs): the office answers "paid" with the result.
  const serviceNumber = 2016;

  beforeAll(async () => {
    administrator = await signedInOperator('administrator', 'soap12');
    await portal.start();
  }, 60_000);

  afterAll(async () => {
    await backOffice.setMode('soap12', code, 'ok').catch(() => undefined);
    await portal.stop();
  });

  const statusOf = (applicationId: string) =>
    eventually(
      () =>
        query<{ status: string; registration_number: string | null }>(
          'SELECT status, registration_number FROM applications.application WHERE id = $1',
          [applicationId],
        ),
      (rows) => rows.length === 1,
    ).then((rows) => rows[0]!);

  it('refuses a mapping that cannot work, naming where, and takes the office’s mapping', async () => {
    const broken = structuredClone(profile.mapping) as { answer: { reference: string }; soapVersion: string };
    broken.answer.reference = '*/t:Delo/@';
    broken.soapVersion = '1.3';
    const refused = await administrator.call<Problem & { errors: { field: string; code: string }[] }>(
      'PATCH',
      `${base}/profile`,
      { ...profile, mapping: broken },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((error) => [error.field, error.code])).toEqual(
      expect.arrayContaining([
        ['mapping.answer.reference', 'invalid_mapping'],
        ['mapping.soapVersion', 'invalid_mapping'],
      ]),
    );

    const saved = await administrator.call<District>('PATCH', `${base}/profile`, profile);
    expect(saved.status).toBe(200);
    expect(saved.body.profile).toMatchObject({
      adapterStyle: 'push_soap',
      endpoint: `${backOfficeUrls.soap12}/soap12/izgrev`,
    });
    expect(
      (
        await administrator.call<District>('POST', `${base}/phase`, {
          phase: 'onboarding',
          reason: 'back office ready',
        })
      ).status,
    ).toBe(200);
    const set = await administrator.call('PUT', `${base}/secret`, {
      secret,
      reason: 'the password agreed with Izgrev',
    });
    expect(set.status).toBe(200);
    await backOffice.setSecret('soap12', code, secret);
    const bank = await administrator.call('PUT', `${base}/payee`, {
      bank: demoBankDetails(findDistrict(code)!.no),
      reason: 'the district confirmed the account its fees are paid into',
    });
    expect(bank.status).toBe(200);
    const identity = await administrator.call('PUT', `${base}/e-delivery`, {
      unitIdentifier: '0006963270108',
      certificateThumbprint: null,
      // The municipality's shared signing identity (the test's e-delivery simulator knows it).
      signingKeyRef: 'default',
      reason: 'the district’s unit in e-delivery',
    });
    expect(identity.status).toBe(200);
  });

  it('passes conformance: registration, status change, and wrong WS-Security credentials refused', async () => {
    const run = await administrator.call<ConformanceRun>('POST', `${base}/conformance-runs`);
    expect(run.status).toBe(201);
    expect(run.body.status).toBe('passed');
    expect(run.body.checks.map((check) => [check.name, check.state])).toEqual([
      ['new_application_answered', 'passed'],
      ['status_change_acknowledged', 'passed'],
      ['wrong_signature_refused', 'passed'],
    ]);
    expect(run.body.checks[0]!.detail).toMatch(/^register as ИЗ-08-\d+\/\d{4} \(IZ-DELO-/);
    expect(run.body.checks[2]!.detail).toMatch(/FailedAuthentication/);

    const pilot = await administrator.call<District>('POST', `${base}/phase`, {
      phase: 'pilot',
      reason: 'conformance passed, bank details confirmed',
    });
    expect(pilot.status).toBe(200);
    const services = await administrator.call<DistrictService[]>('GET', `${base}/service-phases`);
    expect(services.body.find((service) => service.serviceNumber === serviceNumber)?.catalogueGaps).toEqual([]);
    const enabled = await administrator.call('PUT', `${base}/service-phases/${serviceNumber}`, {
      phase: 'pilot',
      reason: 'the first service of the pilot',
    });
    expect(enabled.status).toBe(200);
    await eventually(
      () =>
        query<{ phase: string; services: { serviceNumber: number }[] }>(
          'SELECT phase, services FROM applications.district_offering WHERE district_code = $1',
          [code],
        ),
      (rows) =>
        rows[0]?.phase === 'pilot' && rows[0].services.some((service) => service.serviceNumber === serviceNumber),
    );
  });

  it('runs an application to a delivered result: registered by the office, paid, answered with the result as an MTOM attachment', async () => {
    const { applicationId, submission } = await submitRouted(portal, {
      districtCode: code,
      serviceNumber,
      urgency: 'fast',
    });
    const registered = await eventually(
      () => statusOf(applicationId),
      (row) => row.status === 'awaiting_payment',
    );
    expect(registered.registration_number).toMatch(/^ИЗ-08-\d{6}\/\d{4}$/);

    const [request] = await eventually(
      () => paymentRequestsOf(applicationId),
      (found) => found[0]?.status === 'pending',
    );
    await simulator('POST', `/payments/${request!.paymentSystemId}/pay`);
    // The office answers the paid status change with "processing started" and the certificate (MTOM),
    // which runs on to the citizen (the statuses between may pass quicker than a poll).
    await eventually(
      () => statusOf(applicationId),
      (row) => row.status === 'delivered',
      60_000,
    );
    const register = await backOffice.registrations('soap12', code);
    expect(register.filter((entry) => entry.applicationId === applicationId).map((entry) => entry.kind)).toEqual(
      expect.arrayContaining(['application', 'status_change']),
    );
    // Every push was delivered: the MTOM answer, its attachment and SHA-256 were read, nothing parked.
    const deliveries = await eventually(
      () =>
        query<{ status: string; state: string; last_error: string | null }>(
          `SELECT payload->>'status' AS status, state, last_error FROM districts.outgoing_push
           WHERE application_id = $1 ORDER BY id`,
          [applicationId],
        ),
      (rows) => rows.some((row) => row.status === 'delivered' && row.state !== 'pending'),
    );
    // The application pushed, then its status changes (a district's own decisions are not pushed back).
    expect(deliveries.map((delivery) => delivery.status)).toEqual(['routed', 'awaiting_payment', 'paid', 'delivered']);
    expect(deliveries.filter((delivery) => delivery.state !== 'answered')).toEqual([]);

    // The attachment became the application's result, and the citizen got it through e-delivery.
    const [document] = await query<{ media_type: string; sha256: string }>(
      `SELECT media_type, sha256 FROM applications.document WHERE application_id = $1 AND kind = 'result'`,
      [applicationId],
    );
    expect(document?.media_type).toBe('application/pdf');
    const timeline = await query<{ to_status: string; actor_id: string }>(
      `SELECT to_status, actor_id FROM applications.application_event WHERE application_id = $1 ORDER BY sequence`,
      [applicationId],
    );
    expect(timeline.map((entry) => entry.to_status)).toEqual(
      expect.arrayContaining(['registered', 'awaiting_payment', 'paid', 'in_progress', 'result_ready', 'delivered']),
    );
    expect(timeline.find((entry) => entry.to_status === 'result_ready')?.actor_id).toBe(`${code}/push_soap`);
    const inbox = await eDelivery.inbox(submission.applicant.identifier);
    const result = inbox.find((message) => message.title.includes('Резултат'));
    expect(result?.documents).toEqual(
      expect.arrayContaining([expect.objectContaining({ contentType: 'application/pdf', sha256: document!.sha256 })]),
    );
  });

  it('turns the office’s business fault into the decision the mapping gives it (refusal, with the fault as reason)', async () => {
    await backOffice.setMode('soap12', code, 'reject');
    const { applicationId } = await submitRouted(portal, { districtCode: code, serviceNumber, urgency: 'regular' });
    await eventually(
      () => statusOf(applicationId),
      (row) => row.status === 'refused',
    );
    await backOffice.setMode('soap12', code, 'ok');
    const [entry] = await query<{ reasons: unknown }>(
      `SELECT reasons FROM applications.application_event WHERE application_id = $1 AND to_status = 'refused'`,
      [applicationId],
    );
    expect(entry?.reasons).toEqual([{ code: 'NE-E-NASHA-KOMPETENTNOST', message: 'Извън компетентността на района' }]);
  });
});
