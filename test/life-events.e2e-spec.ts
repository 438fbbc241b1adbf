import { randomUUID } from 'node:crypto';
import type { LifeEventRequested, LifeEventStatusChanged } from '@umg/contracts';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { eventually, query } from './support/database';
import { operatorApi } from './support/districts';
import { decide, read, submitResult } from './support/lifecycle';
import { paymentRequestsOf, simulator } from './support/payments';
import { testEnv } from './support/test-env';

interface PartRow {
  part_key: string;
  state: string;
  district_code: string;
  application_id: string | null;
  reason: { code: string; field?: string } | null;
}

/**
 * Issue 21: a life event requested once on the portal becomes a bundle of applications on the real
 * broker and database. The move is from Lyulin (the old address: no part of this request is filed
 * there, so Lyulin stays as other specs expect it) to Nadezhda, a pilot district: Mladost, the
 * issue's example, is onboarded from not_started by json-mapping-office.e2e, which owns it in the
 * shared test run.
 */
describe('life events: one request, several applications', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const newDistrict = 'nadezhda';
  const registration = 2107;
  const certificate = 1997;

  beforeAll(async () => {
    await portal.start();
    for (const serviceNumber of [registration, certificate]) {
      const enabled = await operatorApi('PUT', `/internal/v1/districts/${newDistrict}/services/${serviceNumber}`, {
        enabled: true,
        reason: 'life events: the address services of a move',
      });
      expect(enabled.status).toBe(200);
    }
    await eventually(
      () =>
        query<{ services: { serviceNumber: number }[] }>(
          'SELECT services FROM applications.district_offering WHERE district_code = $1',
          [newDistrict],
        ),
      (rows) =>
        [registration, certificate].every((n) => rows[0]?.services.some((service) => service.serviceNumber === n)),
    );
  }, 90_000);
  afterAll(() => portal.stop());

  const moveRequest = (): LifeEventRequested => ({
    requestId: `LE-${randomUUID().slice(0, 18)}`,
    lifeEvent: 'moving',
    addresses: {
      old: { districtCode: 'lyulin', address: 'ж.к. Люлин 5, бл. 512' },
      new: { districtCode: newDistrict, address: 'ж.к. Надежда 1, бл. 20' },
    },
    selectedParts: ['current-address-certificate'],
    urgency: 'regular',
    applicant: { identifierType: 'EGN', identifier: '7501020018', name: 'Иван Петров Иванов' },
    deliveryChannel: 'e_delivery',
    eDeliveryProfileId: '104578',
    formData: { purpose: 'смяна на адрес' },
    submittedAt: new Date().toISOString(),
  });

  const partsOf = (requestId: string) =>
    query<PartRow>(
      `SELECT p.part_key, p.state, p.district_code, p.application_id, p.reason
         FROM applications.bundle_part p JOIN applications.bundle b ON b.id = p.bundle_id
        WHERE b.request_id = $1 ORDER BY p.position`,
      [requestId],
    );
  const part = (parts: PartRow[], key: string) => parts.find((row) => row.part_key === key)!;
  /** The latest bundle notice the portal heard for the request, once it is one `accept` takes. */
  async function noticeWhere(
    requestId: string,
    accept: (notice: LifeEventStatusChanged) => boolean,
    timeoutMs = 30_000,
  ): Promise<LifeEventStatusChanged> {
    const latest = await eventually(
      async () => portal.lifeEvents.filter((notice) => notice.requestId === requestId).at(-1),
      (notice) => notice !== undefined && accept(notice),
      timeoutMs,
    );
    return latest!;
  }

  async function registerAndPay(applicationId: string): Promise<number> {
    const routed = await read(newDistrict, applicationId);
    const registered = await decide(newDistrict, applicationId, 'registration', routed.version, {
      registrationNumber: `НДЖ-${randomUUID().slice(0, 8)}`,
    });
    expect(registered.body.status).toBe('awaiting_payment');
    const [request] = await eventually(
      () => paymentRequestsOf(applicationId),
      (found) => found[0]?.status === 'pending',
    );
    await simulator('POST', `/payments/${request!.paymentSystemId}/pay`);
    const paid = await eventually(
      () => read(newDistrict, applicationId),
      (application) => application.status === 'paid',
    );
    return paid.version;
  }

  it('files the registration in the new district at once, and the certificate only after its result; a repeated request files nothing again', async () => {
    const request = moveRequest();
    const messageId = randomUUID();
    await portal.requestLifeEvent(request, messageId);
    await portal.requestLifeEvent(request, messageId); // the very same message, redelivered
    await portal.requestLifeEvent(request); // the portal publishing it again

    const filed = await eventually(
      () => partsOf(request.requestId),
      (rows) => part(rows, 'register-current-address')?.state === 'filed',
    );
    expect(filed.map((row) => [row.part_key, row.state, row.district_code])).toEqual([
      ['register-current-address', 'filed', newDistrict],
      ['current-address-certificate', 'waiting', newDistrict],
    ]);
    const registrationId = part(filed, 'register-current-address').application_id!;
    const application = await read(newDistrict, registrationId);
    expect(application).toMatchObject({
      serviceNumber: registration,
      districtCode: newDistrict,
      status: 'routed',
      portalApplicationId: `${request.requestId}/register-current-address`,
      // The district sees the bundle and what waits for this application's result.
      bundle: {
        lifeEvent: 'moving',
        part: 'register-current-address',
        waitsFor: [],
        awaitedBy: ['current-address-certificate'],
      },
    });
    const opened = await noticeWhere(request.requestId, () => true);
    expect(opened.status).toBe('open');
    expect(opened.parts.find((p) => p.key === 'current-address-certificate')).toMatchObject({
      state: 'waiting',
      waitsFor: ['register-current-address'],
      applicationId: null,
    });

    const paidVersion = await registerAndPay(registrationId);
    const started = await decide(newDistrict, registrationId, 'processing', paidVersion, {});
    expect(started.status).toBe(200);
    expect(
      (await submitResult(newDistrict, registrationId, started.body.version, Buffer.from('%PDF-1.7 card'))).status,
    ).toBe(200);

    const released = await eventually(
      () => partsOf(request.requestId),
      (rows) => part(rows, 'current-address-certificate')?.state === 'filed',
      60_000,
    );
    expect(part(released, 'register-current-address').state).toBe('done');
    const certificateId = part(released, 'current-address-certificate').application_id!;
    expect(await read(newDistrict, certificateId)).toMatchObject({
      serviceNumber: certificate,
      bundle: { part: 'current-address-certificate', waitsFor: [], awaitedBy: [] },
    });

    const certificatePaid = await registerAndPay(certificateId);
    const certificateStarted = await decide(newDistrict, certificateId, 'processing', certificatePaid, {});
    await submitResult(newDistrict, certificateId, certificateStarted.body.version, Buffer.from('%PDF-1.7 cert'));
    const completed = await noticeWhere(request.requestId, (notice) => notice.status === 'completed', 60_000);
    expect(completed.parts.map((p) => [p.key, p.state])).toEqual([
      ['register-current-address', 'done'],
      ['current-address-certificate', 'done'],
    ]);

    // The three deliveries of the request made one bundle, one application per part.
    const counts = await query<{ bundles: string; applications: string }>(
      `SELECT (SELECT count(*) FROM applications.bundle WHERE request_id = $1) AS bundles,
              (SELECT count(*) FROM applications.application WHERE portal_application_id LIKE $1 || '/%') AS applications`,
      [request.requestId],
    );
    expect(counts[0]).toEqual({ bundles: '1', applications: '2' });
  }, 240_000);

  it('cancels the certificate with a reason when the district refuses the registration; its fee is never asked for', async () => {
    const request = moveRequest();
    await portal.requestLifeEvent(request);
    const filed = await eventually(
      () => partsOf(request.requestId),
      (rows) => part(rows, 'register-current-address')?.state === 'filed',
    );
    const registrationId = part(filed, 'register-current-address').application_id!;
    const routed = await read(newDistrict, registrationId);
    const refused = await decide(newDistrict, registrationId, 'refusal', routed.version, {
      reasons: [{ message: 'Адресът не съществува в регистъра.' }],
    });
    expect(refused.status).toBe(200);

    const settled = await eventually(
      () => partsOf(request.requestId),
      (rows) => part(rows, 'current-address-certificate')?.state === 'cancelled',
      60_000,
    );
    expect(part(settled, 'register-current-address')).toMatchObject({
      state: 'failed',
      reason: { code: 'part_refused' },
    });
    expect(part(settled, 'current-address-certificate')).toMatchObject({
      application_id: null,
      reason: { code: 'dependency_failed', field: 'register-current-address' },
    });
    const failed = await noticeWhere(request.requestId, (notice) => notice.status === 'failed');
    expect(failed.parts.map((p) => [p.key, p.state, p.refundDue])).toEqual([
      ['register-current-address', 'failed', false],
      ['current-address-certificate', 'cancelled', false],
    ]);
    const applications = await query('SELECT 1 FROM applications.application WHERE portal_application_id = $1', [
      `${request.requestId}/current-address-certificate`,
    ]);
    expect(applications).toHaveLength(0);
  }, 120_000);

  it('rejects a request whose part is not offered in its district, under the request id, and files nothing', async () => {
    const request = { ...moveRequest(), selectedParts: ['permanent-address-history'] };
    const rejected = portal.waitFor(
      (message) => message.type === 'submission-rejected' && message.body.portalApplicationId === request.requestId,
    );
    await portal.requestLifeEvent(request);
    const body = (await rejected).body as { reasons: { code: string; field?: string }[] };
    expect(body.reasons).toEqual([
      expect.objectContaining({ code: 'service_not_enabled', field: 'parts.permanent-address-history.serviceNumber' }),
    ]);
    expect(await query('SELECT 1 FROM applications.bundle WHERE request_id = $1', [request.requestId])).toHaveLength(0);
  }, 60_000);
});
