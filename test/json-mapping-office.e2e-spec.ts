import { createHash, randomBytes } from 'node:crypto';
import { findDistrict } from '@umg/catalogue';
import type { DistrictsInternal, OperatorApi, Problem } from '@umg/contracts';
import { demoBankDetails } from '../tools/dev/demo-onboarding';
import {
  nestedJsonOfficeMapping,
  nestedJsonOfficeSamples,
  nestedOfficeResultDocument,
} from '../tools/simulators/district-back-office';
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
type DistrictOverview = OperatorApi.components['schemas']['DistrictOverview'];

/**
 * Issue 18 (1, 3, 6a): a back office with its own nested JSON schema, field names, codes and date
 * format joins by configuration only — its JSONata mapping and samples, secret, bank details and
 * e-delivery identity through the operator API, no entry in the profiles file, no code in the
 * services — passes conformance, and runs a paid application to a delivered result whose document
 * came in its answer to the `paid` push. A mapping that does not fit its samples is refused on save.
 */
describe('a JSON back office with its own schema, onboarded by a mapping', () => {
  // Not a pilot, in no profiles file and used by no other test: from not_started to pilot here.
  const code = 'mladost';
  const base = `/operator/v1/districts/${code}`;
  const endpoint = `${backOfficeUrls.nestedJson}/nested/${code}/zaiavlenia`;
  const secret = `nested-${randomBytes(24).toString('hex')}`;
  // Certificate of heirs: a service with a fee, so the office hears of the payment by a push.
  const serviceNumber = 2016;
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const eDelivery = new EDeliveryControl(testEnv.eDeliveryUrl);
  let administrator: OperatorSession;

  beforeAll(async () => {
    administrator = await signedInOperator('administrator', 'json-mapping');
    await portal.start();
  }, 60_000);
  afterAll(() => portal.stop());

  it('refuses a mapping that does not fit its samples with a clear problem, and keeps the profile as it was', async () => {
    const before = (await administrator.call<DistrictOverview>('GET', base)).body.district;
    // The answer expression reads a field the office does not send (`sastoianie`, not `status`) and
    // gives no reference: the samples show it at once.
    const misread = await administrator.call<Problem>('PATCH', `${base}/profile`, {
      adapterStyle: 'push_json',
      endpoint,
      mapping: {
        ...nestedJsonOfficeMapping,
        answer: '{ "decision": $lookup($codes.reshenia, otgovor.sastoianie), "registrationNumber": otgovor.vhNomer }',
      },
      mappingSamples: nestedJsonOfficeSamples,
      reason: 'the back office’s JSON mapping',
    });
    expect(misread.status).toBe(422);
    expect(misread.body).toMatchObject({ code: 'mapping_does_not_fit_samples', status: 422 });
    expect(misread.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'mappingSamples.answers[0]',
          code: 'answer_does_not_map',
          message: expect.stringMatching(/sample "registered".*backOfficeReference/),
        }),
      ]),
    );

    const uncompilable = await administrator.call<Problem>('PATCH', `${base}/profile`, {
      adapterStyle: 'push_json',
      endpoint,
      mapping: { ...nestedJsonOfficeMapping, request: { default: '{ "zaiavlenie": application.( }' } },
      mappingSamples: nestedJsonOfficeSamples,
      reason: 'the back office’s JSON mapping',
    });
    expect(uncompilable.status).toBe(422);
    expect(uncompilable.body.errors).toEqual([
      expect.objectContaining({ field: 'mapping.request.default', code: 'does_not_compile' }),
    ]);

    const withoutSamples = await administrator.call<Problem>('PATCH', `${base}/profile`, {
      adapterStyle: 'push_json',
      endpoint,
      mapping: nestedJsonOfficeMapping,
      reason: 'the back office’s JSON mapping',
    });
    expect(withoutSamples.status).toBe(422);
    expect(withoutSamples.body.errors).toEqual([expect.objectContaining({ code: 'samples_required' })]);

    const after = (await administrator.call<DistrictOverview>('GET', base)).body.district;
    expect(after.profileVersion).toBe(before.profileVersion);
    expect(after.profile).toEqual(before.profile);
  });

  it('onboards the office through the operator API only: mapping and samples, secret, bank, e-delivery, conformance, pilot', async () => {
    const saved = await administrator.call<District>('PATCH', `${base}/profile`, {
      adapterStyle: 'push_json',
      endpoint,
      mapping: nestedJsonOfficeMapping,
      mappingSamples: nestedJsonOfficeSamples,
      reason: 'the back office’s own JSON schema, by mapping',
    });
    expect(saved.status).toBe(200);
    expect(saved.body.profile).toMatchObject({ adapterStyle: 'push_json', endpoint });
    // The samples are kept with the profile version they were checked with; the audit shows them.
    const [row] = await query<{ mapping_samples: unknown; profile_version: number }>(
      `SELECT mapping_samples, profile_version FROM districts.district WHERE code = $1`,
      [code],
    );
    expect(row).toMatchObject({ mapping_samples: nestedJsonOfficeSamples, profile_version: saved.body.profileVersion });
    const overview = (await administrator.call<DistrictOverview>('GET', base)).body;
    expect(overview.audit[0]).toMatchObject({
      change: 'profile',
      after: { mappingSamples: nestedJsonOfficeSamples },
    });

    expect(
      (
        await administrator.call<District>('POST', `${base}/phase`, {
          phase: 'onboarding',
          reason: 'onboarding starts',
        })
      ).status,
    ).toBe(200);
    const set = await administrator.call('PUT', `${base}/secret`, {
      secret,
      reason: 'the secret agreed with the office',
    });
    expect(set.status).toBe(200);
    await backOffice.setSecret('nestedJson', code, secret);
    expect(
      (
        await administrator.call('PUT', `${base}/payee`, {
          bank: demoBankDetails(findDistrict(code)!.no),
          reason: 'the district confirmed the account its fees are paid into',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await administrator.call('PUT', `${base}/e-delivery`, {
          unitIdentifier: '0006963270113',
          certificateThumbprint: null,
          // The municipality's shared signing identity (the test's e-delivery simulator knows the pilots' and it).
          signingKeyRef: 'default',
          reason: 'the district’s unit in e-delivery',
        })
      ).status,
    ).toBe(200);

    const run = await administrator.call<ConformanceRun>('POST', `${base}/conformance-runs`);
    expect(run.status).toBe(201);
    expect(run.body.status).toBe('passed');
    expect(run.body.checks.map((check) => [check.name, check.state])).toEqual([
      ['new_application_answered', 'passed'],
      ['status_change_acknowledged', 'passed'],
      ['wrong_signature_refused', 'passed'],
    ]);
    // The office's own VPISANO and number, read through the mapping.
    expect(run.body.checks[0]!.detail).toMatch(/^register as ЛЗ-/);

    expect(
      (await administrator.call<District>('POST', `${base}/phase`, { phase: 'pilot', reason: 'conformance passed' }))
        .status,
    ).toBe(200);
    const services = (await administrator.call<DistrictService[]>('GET', `${base}/service-phases`)).body;
    expect(services.find((service) => service.serviceNumber === serviceNumber)?.catalogueGaps).toEqual([]);
    const enabled = await administrator.call<DistrictService>('PUT', `${base}/service-phases/${serviceNumber}`, {
      phase: 'pilot',
      reason: 'the first service of the pilot',
    });
    expect(enabled.status).toBe(200);
  });

  it('runs a paid application to a delivered result whose document came in the office’s answer', async () => {
    await eventually(
      () =>
        query<{ phase: string; services: { serviceNumber: number }[] }>(
          'SELECT phase, services FROM applications.district_offering WHERE district_code = $1',
          [code],
        ),
      (rows) =>
        rows[0]?.phase === 'pilot' && rows[0].services.some((service) => service.serviceNumber === serviceNumber),
    );
    const { applicationId, submission } = await submitRouted(portal, {
      districtCode: code,
      serviceNumber,
      urgency: 'regular',
    });
    const status = async () =>
      (await query<{ status: string }>(`SELECT status FROM applications.application WHERE id = $1`, [applicationId]))[0]
        ?.status;

    // The office took the application in its own shape and registered it under its own number.
    await eventually(status, (current) => current === 'awaiting_payment', 30_000);
    const registered = (await backOffice.registrations('nestedJson', code)).find(
      (entry) => entry.applicationId === applicationId && entry.kind === 'application',
    );
    expect(registered).toMatchObject({
      serviceCode: 'UD-NASLEDNICI',
      registrationNumber: expect.stringMatching(/^ЛЗ-/),
    });
    const [application] = await query<{ registration_number: string }>(
      `SELECT registration_number FROM applications.application WHERE id = $1`,
      [applicationId],
    );
    expect(application!.registration_number).toBe(registered!.registrationNumber);

    // The citizen pays; the office hears of it by a push and answers with the certificate.
    const [request] = await eventually(
      () => paymentRequestsOf(applicationId),
      (found) => found[0]?.status === 'pending',
    );
    await simulator('POST', `/payments/${request!.paymentSystemId}/pay`);
    await eventually(status, (current) => current === 'delivered', 60_000);

    const expected = nestedOfficeResultDocument(applicationId);
    const sha256 = createHash('sha256').update(expected).digest('hex');
    const [document] = await query<{ file_name: string; sha256: string; size: number }>(
      `SELECT file_name, sha256, size FROM applications.document WHERE application_id = $1 AND kind = 'result'`,
      [applicationId],
    );
    expect(document).toMatchObject({ file_name: `udostoverenie-${applicationId.slice(0, 8)}.pdf`, sha256 });
    const timeline = await query<{ from_status: string; to_status: string; actor_id: string }>(
      `SELECT from_status, to_status, actor_id FROM applications.application_event WHERE application_id = $1 ORDER BY sequence`,
      [applicationId],
    );
    expect(timeline.map((entry) => entry.to_status)).toEqual(
      expect.arrayContaining(['registered', 'awaiting_payment', 'paid', 'in_progress', 'result_ready', 'delivered']),
    );
    expect(timeline.find((entry) => entry.to_status === 'result_ready')?.actor_id).toBe(`${code}/push_json`);

    // The citizen's e-delivery inbox has the document the office answered with, byte for byte.
    const inbox = await eDelivery.inbox(submission.applicant.identifier);
    const result = inbox.find((message) => message.title.includes('Резултат'))!;
    expect(result.documents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ contentType: 'application/pdf', size: expected.length, sha256 }),
      ]),
    );
  });

  it('takes a result the office sends later on the callback as a reference, fetched and checked by the gateway', async () => {
    await backOffice.setMode('nestedJson', code, 'async');
    try {
      const { applicationId, submission } = await submitRouted(portal, {
        districtCode: code,
        serviceNumber,
        urgency: 'regular',
      });
      const status = async () =>
        (
          await query<{ status: string }>(`SELECT status FROM applications.application WHERE id = $1`, [applicationId])
        )[0]?.status;
      await eventually(status, (current) => current === 'awaiting_payment', 30_000);
      const [request] = await eventually(
        () => paymentRequestsOf(applicationId),
        (found) => found[0]?.status === 'pending',
      );
      await simulator('POST', `/payments/${request!.paymentSystemId}/pay`);
      await eventually(status, (current) => current === 'delivered', 60_000);

      const sha256 = createHash('sha256').update(nestedOfficeResultDocument(applicationId)).digest('hex');
      // Held by the districts service (claim check) and applied by the applications service, the same bytes.
      const [held] = await query<{ sha256: string }>(
        `SELECT sha256 FROM districts.back_office_document WHERE application_id = $1`,
        [applicationId],
      );
      expect(held?.sha256).toBe(sha256);
      const [document] = await query<{ sha256: string }>(
        `SELECT sha256 FROM applications.document WHERE application_id = $1 AND kind = 'result'`,
        [applicationId],
      );
      expect(document?.sha256).toBe(sha256);
      const inbox = await eDelivery.inbox(submission.applicant.identifier);
      expect(inbox.find((message) => message.title.includes('Резултат'))?.documents).toEqual(
        expect.arrayContaining([expect.objectContaining({ sha256 })]),
      );
    } finally {
      await backOffice.setMode('nestedJson', code, 'ok');
    }
  });

  it('parks a push whose answer the mapping cannot read, with the expression and the reason', async () => {
    await backOffice.setMode('nestedJson', code, 'wrong');
    try {
      const { applicationId } = await submitRouted(portal, { districtCode: code, serviceNumber, urgency: 'regular' });
      const [parked] = await eventually(
        () =>
          query<{ state: string; last_error: string }>(
            `SELECT state, last_error FROM districts.outgoing_push WHERE application_id = $1 AND kind = 'application'`,
            [applicationId],
          ),
        (rows) => rows[0]?.state === 'parked',
        30_000,
      );
      expect(parked!.last_error).toMatch(
        /^mapping: mapping\.answer: does not produce a valid answer: backOfficeReference/,
      );
    } finally {
      await backOffice.setMode('nestedJson', code, 'ok');
    }
  });
});
