import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { type BackOfficeDecision, cloudEventTypes, kafkaTopics } from '@umg/contracts';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { eventually, query } from './support/database';
import { decide, read, submitRouted } from './support/lifecycle';
import { testEnv } from './support/test-env';

/**
 * The applications service's side of `districts.back-office-decisions`, fed over the real broker
 * as the districts service would: a decision commits with the consumer's inbox row, a repeated
 * answer changes nothing, and one that cannot be applied is parked with its reason.
 */
describe('back-office decisions in the applications service', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const kafka = new Kafka({ clientId: 'decisions-test', ...testEnv.kafkaClient('admin'), logLevel: logLevel.NOTHING });
  let producer: Producer;

  beforeAll(async () => {
    await portal.start();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }, 60_000);
  afterAll(async () => {
    await producer.disconnect();
    await portal.stop();
  });

  async function publish(decision: BackOfficeDecision, messageId: string = randomUUID()): Promise<void> {
    await producer.send({
      topic: kafkaTopics.districtsBackOfficeDecisions,
      acks: -1,
      messages: [
        {
          key: decision.applicationId,
          value: JSON.stringify(decision),
          headers: {
            ce_specversion: '1.0',
            ce_id: messageId,
            ce_type: cloudEventTypes.BackOfficeDecision,
            ce_source: 'urn:umg:service:districts',
            ce_time: new Date().toISOString(),
            'content-type': 'application/json',
            traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
          },
        },
      ],
    });
  }

  function registration(applicationId: string, registrationNumber: string): BackOfficeDecision {
    return {
      applicationId,
      districtCode: 'serdika',
      decision: 'register',
      registrationNumber,
      decidedAt: new Date().toISOString(),
      backOfficeReference: `BO-${randomUUID().slice(0, 8)}`,
    };
  }

  const registeredEntries = (applicationId: string) =>
    query(`SELECT 1 FROM applications.application_event WHERE application_id = $1 AND to_status = 'registered'`, [
      applicationId,
    ]);

  it('parks a decision with a registration number another application holds, leaving the application as it was', async () => {
    const first = await submitRouted(portal, { districtCode: 'serdika', serviceNumber: 2079 });
    const second = await submitRouted(portal, { districtCode: 'serdika', serviceNumber: 2079 });
    const number = `СРД-BO-${randomUUID().slice(0, 8)}`;
    expect(
      (await decide('serdika', first.applicationId, 'registration', 2, { registrationNumber: number })).status,
    ).toBe(200);

    await publish(registration(second.applicationId, number));
    const [parked] = await eventually(
      () =>
        query<{ reason_code: string; reason_message: string }>(
          `SELECT reason_code, reason_message FROM applications.dead_letter WHERE message_key = $1`,
          [second.applicationId],
        ),
      (rows) => rows.length === 1,
    );
    expect(parked!.reason_code).toBe('registration_number_taken');
    expect(parked!.reason_message).toContain(number);
    const untouched = await read('serdika', second.applicationId);
    expect(untouched.status).toBe('routed');
    expect(untouched.version).toBe(2);
  });

  it('applies a registration once, however often the back office repeats it or Kafka redelivers it', async () => {
    const { applicationId } = await submitRouted(portal, { districtCode: 'serdika', serviceNumber: 2079 });
    const decision = registration(applicationId, `СРД-BO-${randomUUID().slice(0, 8)}`);
    const messageId = randomUUID();
    const repeatId = randomUUID();
    await publish(decision, messageId);
    await publish(decision, messageId); // a redelivery: the inbox recognises it
    await publish({ ...decision, backOfficeReference: 'BO-repeated' }, repeatId); // a repeated answer: overtaken
    // Both messages handled (the inbox keeps one row per message id, the redelivery adds none).
    await eventually(
      () =>
        query(
          `SELECT message_id FROM applications.inbox WHERE consumer_group = 'umg.applications' AND message_id = ANY($1)`,
          [[messageId, repeatId]],
        ),
      (rows) => rows.length === 2,
    );
    const application = await eventually(
      () => read('serdika', applicationId),
      (current) => current.status === 'awaiting_payment' || current.status === 'registered',
    );
    expect(application.registrationNumber).toBe(decision.registrationNumber);
    expect(application.timeline.find((entry) => entry.toStatus === 'registered')!.actor).toEqual({
      kind: 'district',
      id: 'serdika/pull',
    });
    expect(await registeredEntries(applicationId)).toHaveLength(1);
    expect(await query(`SELECT 1 FROM applications.dead_letter WHERE message_key = $1`, [applicationId])).toHaveLength(
      0,
    );
  });
});
