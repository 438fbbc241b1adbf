import { randomUUID } from 'node:crypto';
import type { DeliveryInternal, DeliveryStatusChanged } from '@umg/contracts';
import { EDeliveryControl } from '../tools/simulators/e-delivery/e-delivery-control';
import { eventually, query } from './support/database';
import { applicationEvent, DeliveryKafka } from './support/delivery-kafka';
import { testEnv } from './support/test-env';
import { asGateway } from './support/service-identity';

type Delivery = DeliveryInternal.components['schemas']['Delivery'];

async function deliveriesOf(applicationId: string): Promise<{ status: number; body: { items: Delivery[] } }> {
  const response = await fetch(`${testEnv.deliveryUrl}/internal/v1/applications/${applicationId}/deliveries`, {
    headers: await asGateway('delivery'),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as { items: Delivery[] } };
}

const statusesOf = (changes: DeliveryStatusChanged[]) => changes.map((change) => change.status);

/**
 * The delivery service on the real broker and database, with the ССЕВ simulator over a real
 * socket: application events in on `applications.events`, signed SOAP messages out to e-delivery,
 * statuses out on `delivery.events`.
 */
describe('delivery of notices through e-delivery', () => {
  const kafka = new DeliveryKafka();
  const eDelivery = new EDeliveryControl(testEnv.eDeliveryUrl);

  beforeAll(() => kafka.start(), 60_000);
  afterAll(() => kafka.stop());
  afterEach(() => eDelivery.setBehaviour({ mode: 'ok', failOnly: null }));

  it('sends the registration notice by signed SOAP and records the receipt with its NRO and NRD', async () => {
    const event = applicationEvent({ districtCode: 'nadezhda' });

    await kafka.publish(event);
    const delivered = await kafka.waitFor(event.applicationId, (change) => change.status === 'delivered');

    expect(delivered).toMatchObject({ noticeKind: 'registration_notice', districtCode: 'nadezhda', reason: null });
    expect(statusesOf(kafka.statuses(event.applicationId))).toEqual([
      'ready_to_send',
      'sending',
      'waiting_for_receipt',
      'delivered',
    ]);
    expect(Date.parse(delivered.nrdAt!)).toBeGreaterThanOrEqual(Date.parse(delivered.nroAt!));
    const inbox = await eDelivery.inbox(event.applicant.identifier);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({
      messageId: Number(delivered.eDeliveryMessageId),
      title: expect.stringContaining(event.serviceReferenceNumber),
      receiver: { identifier: event.applicant.identifier, type: 'Person' },
      documents: [expect.objectContaining({ registrationNumber: delivered.deliveryId })],
    });
    // Signed with Nadezhda's own certificate: ССЕВ knows the sender by its thumbprint.
    expect(inbox[0]!.sender.name).toBe('Район nadezhda');
    expect(inbox[0]!.text).toContain(event.registrationNumber);
    expect(inbox[0]!.text).toContain('Надежда');

    const evidence = await query<{ kind: string; file_name: string; size: number }>(
      `SELECT kind, file_name, length(content) AS size FROM delivery.delivery_evidence WHERE delivery_id = $1 ORDER BY kind`,
      [delivered.deliveryId],
    );
    expect(evidence.map((row) => [row.kind, row.file_name])).toEqual([
      ['nrd', `NRD_${delivered.eDeliveryMessageId}.tsr`],
      ['nro', `NRO_${delivered.eDeliveryMessageId}.tsr`],
    ]);
    expect(evidence.every((row) => row.size > 0)).toBe(true);

    const { status, body } = await deliveriesOf(event.applicationId);
    expect(status).toBe(200);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      noticeKind: 'registration_notice',
      status: 'delivered',
      final: true,
      eDeliveryMessageId: delivered.eDeliveryMessageId,
      nroAt: delivered.nroAt,
      nrdAt: delivered.nrdAt,
    });
    expect(body.items[0]!.recipientProfileId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.items[0]!.evidence.map((entry) => [entry.kind, entry.fileName])).toEqual([
      ['nro', `NRO_${delivered.eDeliveryMessageId}.tsr`],
      ['nrd', `NRD_${delivered.eDeliveryMessageId}.tsr`],
    ]);
    expect(body.items[0]!.receivedAt).not.toBeNull();
    expect(body.items[0]!.history.map((entry) => entry.status)).toEqual(
      statusesOf(kafka.statuses(event.applicationId)),
    );
  });

  it('records no_profile for a person or a company without a profile in e-delivery, and sends nothing', async () => {
    const person = applicationEvent();
    const company = applicationEvent({
      applicant: { identifierType: 'EIK', identifier: '131468980', name: 'Строй ЕООД' },
    });
    await eDelivery.registerSubject({ identifier: person.applicant.identifier, type: 'Person', registered: false });
    await eDelivery.registerSubject({ identifier: '131468980', type: 'LegalPerson', registered: false });

    await kafka.publish(person);
    await kafka.publish(company);

    for (const event of [person, company]) {
      const change = await kafka.waitFor(event.applicationId, (candidate) => candidate.status === 'no_profile');
      expect(change.reason).toMatchObject({ code: 'no_e_delivery_profile' });
      expect(change.eDeliveryMessageId).toBeNull();
      expect(await eDelivery.inbox(event.applicant.identifier)).toHaveLength(0);
    }
  });

  it('records receipt_timeout when the applicant does not receive the message in time', async () => {
    const event = applicationEvent({
      status: 'returned_for_corrections',
      previousStatus: 'registered',
      sequence: 4,
      reasons: [{ code: 'missing_document', message: 'Липсва удостоверение за наследници.' }],
    });
    await eDelivery.registerSubject({ identifier: event.applicant.identifier, type: 'Person', opens: false });

    await kafka.publish(event);
    const timedOut = await kafka.waitFor(event.applicationId, (change) => change.status === 'receipt_timeout');

    expect(timedOut).toMatchObject({ noticeKind: 'correction_notice', nrdAt: null });
    expect(timedOut.reason).toMatchObject({ code: 'no_receipt_in_time' });
    expect(timedOut.nroAt).not.toBeNull();
    const inbox = await eDelivery.inbox(event.applicant.identifier);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.text).toContain('Липсва удостоверение за наследници.');
  });

  it('waits while e-delivery is down; when an answer is lost, finds the message by our number instead of sending it again', async () => {
    const event = applicationEvent({ status: 'expired_unpaid', previousStatus: 'awaiting_payment', sequence: 5 });

    await eDelivery.setBehaviour({ mode: 'down' });
    await kafka.publish(event);
    const retrying = await kafka.waitFor(event.applicationId, (change) => change.status === 'waiting_for_retry');
    expect(retrying.reason).toMatchObject({ code: 'e_delivery_unavailable' });

    // Back, but the answer to SendMessage is lost: e-delivery has the message, we do not know.
    await eDelivery.setBehaviour({ mode: 'drop_responses', failOnly: 'SendMessage' });
    await eventually(
      () => eDelivery.inbox(event.applicant.identifier),
      (inbox) => inbox.length > 0,
    );
    await eDelivery.setBehaviour({ mode: 'ok', failOnly: null });
    const delivered = await kafka.waitFor(event.applicationId, (change) => change.status === 'delivered');

    const inbox = await eDelivery.inbox(event.applicant.identifier);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.messageId).toBe(Number(delivered.eDeliveryMessageId));
    expect(delivered.noticeKind).toBe('expiry_notice');
    expect(kafka.statuses(event.applicationId).filter((change) => change.status === 'delivered')).toHaveLength(1);
  });

  it('delivers a notice once when its event is redelivered or republished', async () => {
    const event = applicationEvent();
    const messageId = randomUUID();

    await kafka.publish(event, messageId);
    await kafka.publish(event, messageId); // the very same message again
    await kafka.publish(event); // the same event republished under a new message id
    // A later event of the same application is consumed after the three above (same partition).
    const later = { ...event, status: 'refused' as const, previousStatus: 'registered' as const, sequence: 4 };
    await kafka.publish({ ...later, reasons: [{ message: 'Не са налице условията за издаване.' }] });
    await kafka.waitFor(
      event.applicationId,
      (change) => change.noticeKind === 'refusal' && change.status === 'delivered',
    );

    const rows = await query<{ notice_kind: string; count: string }>(
      `SELECT notice_kind, count(*) FROM delivery.delivery WHERE application_id = $1 GROUP BY notice_kind ORDER BY 1`,
      [event.applicationId],
    );
    expect(rows.map((row) => [row.notice_kind, Number(row.count)])).toEqual([
      ['refusal', 1],
      ['registration_notice', 1],
    ]);
    const inbox = await eDelivery.inbox(event.applicant.identifier);
    expect(inbox.filter((message) => message.title.startsWith('Входящ номер'))).toHaveLength(1);
    expect(inbox).toHaveLength(2);
  });

  it('does not send through e-delivery what the applicant chose to collect at the desk', async () => {
    const event = applicationEvent({
      status: 'result_ready',
      previousStatus: 'in_progress',
      sequence: 6,
      deliveryChannel: 'desk',
    });

    await kafka.publish(event);
    const change = await kafka.waitFor(event.applicationId, (candidate) => candidate.noticeKind === 'result');

    expect(change).toMatchObject({ status: 'desk_collection', previousStatus: null });
    expect(change.reason).toMatchObject({ code: 'desk_channel_chosen' });
    expect(await eDelivery.inbox(event.applicant.identifier)).toHaveLength(0);
  });

  it('asks e-delivery once whether an applicant has a profile for the three notices of one application', async () => {
    const registered = applicationEvent();
    const returned = {
      ...registered,
      status: 'returned_for_corrections' as const,
      previousStatus: 'registered' as const,
      sequence: 4,
      reasons: [{ message: 'Липсва пълномощно.' }],
    };
    const refused = {
      ...registered,
      status: 'refused' as const,
      previousStatus: 'returned_for_corrections' as const,
      sequence: 5,
      reasons: [{ message: 'Не са налице условията.' }],
    };
    const before = (await eDelivery.stats()).calls;

    // One after the other, as an application's notices come.
    const notices: [ReturnType<typeof applicationEvent>, DeliveryStatusChanged['noticeKind']][] = [
      [registered, 'registration_notice'],
      [returned, 'correction_notice'],
      [refused, 'refusal'],
    ];
    for (const [event, noticeKind] of notices) {
      await kafka.publish(event);
      await kafka.waitFor(
        event.applicationId,
        (change) => change.noticeKind === noticeKind && change.status === 'delivered',
      );
    }

    const after = (await eDelivery.stats()).calls;
    const spent = (operation: string) => (after[operation] ?? 0) - (before[operation] ?? 0);
    console.log(
      `e-delivery calls for three notices: ${JSON.stringify(
        Object.fromEntries(Object.keys(after).map((operation) => [operation, spent(operation)])),
      )}`,
    );
    // Was 3: one check before every send. The positive answer is kept for the next two.
    expect(spent('CheckSubjectHasRegistration')).toBe(1);
    expect(spent('SendMessage')).toBe(3);
    expect(await eDelivery.inbox(registered.applicant.identifier)).toHaveLength(3);
  });

  it('answers 400 for an application id that is not a UUID and an empty list for an unknown one', async () => {
    const invalid = await fetch(`${testEnv.deliveryUrl}/internal/v1/applications/not-a-uuid/deliveries`, {
      headers: await asGateway('delivery'),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    const unknown = await deliveriesOf(randomUUID());
    expect(unknown).toEqual({ status: 200, body: { items: [] } });
  });
});
