import { createHash, randomUUID } from 'node:crypto';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import type { Application, ApplicationStatusChanged } from '@umg/contracts';
import { type RoundRobinProxy, startRoundRobinProxy } from '../tools/dev/round-robin-proxy';
import { type ServiceName, ServiceProcess, serviceNames, type SystemLayout } from '../tools/dev/local-system';
import { EDeliveryControl } from '../tools/simulators/e-delivery/e-delivery-control';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { randomSubmission } from '../tools/simulators/portal/submission-factory';
import { eventually, query } from './support/database';
import { paymentRequestsOf, simulator, type SimulatedPaymentView } from './support/payments';
import { districtKeys, testEnv } from './support/test-env';

/** The runner's system; the second instances run with its settings on ports of their own. */
const layout = JSON.parse(process.env.TEST_SYSTEM_LAYOUT ?? 'null') as SystemLayout;
const secondPort = (port: number) => port + 40;

/** Fee-bearing (certificate of heirs, fast) and free (birth certificate) services, in the four pilots. */
const PAID = { serviceNumber: 2016, urgency: 'fast' as const };
const FREE = { serviceNumber: 2052, urgency: 'regular' as const };
const pilots = ['serdika', 'bankya', 'triaditsa', 'nadezhda'];
const applicationCount = 12;

/**
 * Two instances of every service on the real broker and database: the ones the runner started
 * and a second of each started here, sharing their topics' partitions (one consumer group per
 * service), the outbox relay and the scheduled work; the two gateways behind one address. While
 * applications go the whole way (portal → registration → payment → processing → result →
 * e-delivery), the second instance of every service is killed (SIGKILL, as a crashed pod), and
 * then the invariants are checked in PostgreSQL and the simulators: every application finished,
 * nothing done twice, every application's events in order.
 */
describe('two instances of every service, one of each killed mid-flight', () => {
  const second = new Map<ServiceName, ServiceProcess>(
    serviceNames.map((name) => [
      name,
      new ServiceProcess(name, layout, {
        instance: 1,
        port: secondPort(layout.ports[name]),
        restart: false,
        env: {
          // Small pools: these instances come on top of the suite's.
          DATABASE_POOL_SIZE: '3',
          // A crashed member's partitions go to the survivor within seconds, not the default 30.
          KAFKA_SESSION_TIMEOUT_MS: '6000',
          ...(name === 'gateway'
            ? {
                GATEWAY_TLS_PORT: String(secondPort(Number(layout.extraEnv!.GATEWAY_TLS_PORT))),
              }
            : {}),
        },
      }),
    ]),
  );
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const eDelivery = new EDeliveryControl(testEnv.eDeliveryUrl);
  const statusMessages: ApplicationStatusChanged[] = [];
  let gateway: RoundRobinProxy;

  beforeAll(async () => {
    for (const instance of second.values()) instance.start();
    await Promise.all([...second.values()].map((instance) => instance.waitReady(90_000)));
    gateway = await startRoundRobinProxy([testEnv.gatewayUrl, second.get('gateway')!.url]);
    await portal.start();
    portal.onStatus((message) => {
      if (message.type === 'status-changed') statusMessages.push(message.body);
    });
  }, 150_000);

  afterAll(async () => {
    await portal.stop();
    await gateway?.close();
    await Promise.all([...second.values()].map((instance) => instance.stop()));
  }, 60_000);

  /** Calls the district API through the shared address as a back office would: retries what may not have arrived. */
  async function gatewayCall<T>(
    district: string,
    method: string,
    path: string,
    body?: { json?: unknown; form?: () => FormData },
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(`${gateway.url}${path}`, {
          method,
          headers: {
            'X-Api-Key': districtKeys[district]!,
            ...(body?.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...headers,
          },
          body: body?.json !== undefined ? JSON.stringify(body.json) : body?.form?.(),
          signal: AbortSignal.timeout(20_000),
        });
        const text = await response.text();
        // The gateway that took the call died, or could not reach a service instance that just died.
        if (response.status >= 502 && attempt < 30) {
          await pause(500);
          continue;
        }
        return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
      } catch (error) {
        // The connection broke (the gateway was killed): the same Idempotency-Key makes the retry safe.
        if (attempt >= 30) throw error;
        await pause(500);
      }
    }
  }

  /**
   * A state-changing call with If-Match and an Idempotency-Key. When the gateway that ran the first
   * attempt died mid-way, its key stays taken for a while: the back office then reads the
   * application, and either finds the step done or asks again with a new key (If-Match still
   * guards against doing it twice).
   */
  async function step(
    district: string,
    applicationId: string,
    path: string,
    expected: Application['status'],
    body: { json?: unknown; form?: () => FormData },
  ): Promise<Application> {
    let key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const current = await readApplication(district, applicationId);
      if (current.status === expected) return current;
      const answer = await gatewayCall<Application>(
        district,
        'POST',
        `/v1/applications/${applicationId}/${path}`,
        body,
        {
          'If-Match': `"${current.version}"`,
          'Idempotency-Key': key,
        },
      );
      if (answer.status === 200) return answer.body;
      if (attempt >= 20)
        throw new Error(`${path} of ${applicationId}: ${answer.status} ${JSON.stringify(answer.body)}`);
      if (answer.status === 409 || answer.status === 412) key = randomUUID();
      await pause(500);
    }
  }

  async function readApplication(district: string, applicationId: string): Promise<Application> {
    const answer = await gatewayCall<Application>(district, 'GET', `/v1/applications/${applicationId}`);
    if (answer.status !== 200) throw new Error(`GET ${applicationId}: ${answer.status}`);
    return answer.body;
  }

  const resultPdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'utf8');

  /** One application the whole way; resolves with its id once delivered. */
  async function lifecycle(index: number, registered: () => void): Promise<{ id: string; district: string }> {
    const district = pilots[index % pilots.length]!;
    const paid = index % 2 === 0;
    const submission = {
      ...randomSubmission({ districtCode: district, ...(paid ? PAID : FREE) }),
      eDeliveryProfileId: `scale-out-${randomUUID()}`,
    };
    const routed = portal.waitFor(
      (message) =>
        message.type === 'status-changed' &&
        message.body.portalApplicationId === submission.portalApplicationId &&
        message.body.status === 'routed',
      90_000,
    );
    await portal.submit(submission);
    const id = ((await routed).body as ApplicationStatusChanged).applicationId;

    await step(district, id, 'registration', paid ? 'awaiting_payment' : 'registered', {
      json: { registrationNumber: `SCALE-${index}-${randomUUID().slice(0, 6)}` },
    });
    registered();
    if (paid) {
      const [request] = await eventually(
        () => paymentRequestsOf(id),
        (found) => found[0]?.status === 'pending',
        90_000,
      );
      await simulator('POST', `/payments/${request!.paymentSystemId}/pay`);
      await eventually(
        () => readApplication(district, id),
        (application) => application.status === 'paid',
        90_000,
      );
    }
    await step(district, id, 'processing', 'in_progress', { json: {} });
    const content = resultPdf(`scale-out ${id}`);
    await step(district, id, 'result', 'result_ready', {
      form: () => {
        const form = new FormData();
        form.append(
          'metadata',
          JSON.stringify({
            fileName: 'result.pdf',
            mediaType: 'application/pdf',
            sha256: createHash('sha256').update(content).digest('hex'),
            kind: 'result',
          }),
        );
        form.append('document', new Blob([new Uint8Array(content)], { type: 'application/pdf' }), 'result.pdf');
        return form;
      },
    });
    await eventually(
      () => readApplication(district, id),
      (application) => application.status !== 'result_ready',
      120_000,
    );
    return { id, district };
  }

  it('finishes every application exactly once and in order while one instance of each service crashes', async () => {
    // Both instances of each consuming service share the partitions of its topics.
    await eventually(groupMembers, (members) => Object.values(members).every((count) => count === 2), 60_000);

    let registeredCount = 0;
    let kill: Promise<void> | undefined;
    const killed: Record<string, boolean> = {};
    const onRegistered = () => {
      registeredCount += 1;
      // Mid-flight: half the applications are past registration, the rest not yet.
      if (registeredCount === applicationCount / 2) {
        kill = Promise.all(
          [...second.values()].map(async (instance) => {
            await instance.kill();
            killed[instance.name] = true;
          }),
        ).then(() => undefined);
      }
    };
    const finished = await Promise.all(
      Array.from({ length: applicationCount }, (_, index) => lifecycle(index, onRegistered)),
    );
    await kill;
    expect(Object.keys(killed).sort()).toEqual([...serviceNames].sort());

    const ids = finished.map((application) => application.id);
    // Every application finished.
    const finals = await Promise.all(finished.map(({ id, district }) => readApplication(district, id)));
    expect(finals.map((application) => application.status)).toEqual(ids.map(() => 'delivered'));

    // Order per application: one unbroken chain of statuses, each event numbered next.
    const events = await query<{
      application_id: string;
      sequence: number;
      from_status: string | null;
      to_status: string;
    }>(
      `SELECT application_id, sequence, from_status, to_status FROM applications.application_event
       WHERE application_id = ANY($1::uuid[]) ORDER BY application_id, sequence`,
      [ids],
    );
    for (const id of ids) {
      const timeline = events.filter((event) => event.application_id === id);
      expect(timeline.map((event) => event.sequence)).toEqual(timeline.map((_, index) => index + 1));
      timeline.slice(1).forEach((event, index) => expect(event.from_status).toBe(timeline[index]!.to_status));
      expect(new Set(timeline.map((event) => event.to_status)).size).toBe(timeline.length);
    }
    // The portal got each application's status updates in timeline order (a republished one may
    // come again, and the portal ignores it by its sequence, but never one out of order).
    const firstSeen = (id: string) => {
      const sequences: number[] = [];
      for (const message of statusMessages.filter((candidate) => candidate.applicationId === id)) {
        if (!sequences.includes(message.sequence)) sequences.push(message.sequence);
      }
      return sequences;
    };
    for (const application of finals) {
      const last = application.timeline.at(-1)!.sequence;
      await eventually(
        () => Promise.resolve(firstSeen(application.id)),
        (sequences) => sequences.includes(last),
      );
      const sequences = firstSeen(application.id);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    }

    // Payments: one request per fee-bearing application, one payment in the payment system for it.
    const requests = await query<{ application_id: string; attempt: number; ais_payment_id: string }>(
      `SELECT application_id, attempt, ais_payment_id FROM payments.payment_request WHERE application_id = ANY($1::uuid[])`,
      [ids],
    );
    const paidIds = finished.filter((_, index) => index % 2 === 0).map((application) => application.id);
    expect(requests.map((request) => request.application_id).sort()).toEqual([...paidIds].sort());
    expect(requests.every((request) => request.attempt === 1)).toBe(true);
    for (const request of requests) {
      const { items } = await simulator<{ items: SimulatedPaymentView[] }>(
        'GET',
        `/payments?aisPaymentId=${encodeURIComponent(request.ais_payment_id)}`,
      );
      expect(items).toHaveLength(1);
    }

    // Delivery: one delivery per notice, and the applicant's e-delivery inbox has each message once.
    const deliveries = await query<{ application_id: string; notice_kind: string; status: string }>(
      `SELECT application_id, notice_kind, status FROM delivery.delivery WHERE application_id = ANY($1::uuid[])`,
      [ids],
    );
    for (const id of ids) {
      const own = deliveries.filter((delivery) => delivery.application_id === id);
      expect(new Set(own.map((delivery) => delivery.notice_kind)).size).toBe(own.length);
      expect(own.find((delivery) => delivery.notice_kind === 'result')?.status).toBe('delivered');
    }
    // A notice whose sender was killed between e-delivery's answer and the commit is sent again when
    // its lease runs out (DELIVERY_LEASE_MS); it is found in e-delivery by our registration number, not sent again.
    await eventually(
      () =>
        query(
          `SELECT id FROM delivery.delivery WHERE application_id = ANY($1::uuid[])
             AND status IN ('ready_to_send', 'sending', 'waiting_for_retry')`,
          [ids],
        ),
      (rows) => rows.length === 0,
      60_000,
    );
    const applicants = await query<{ identifier: string; count: string }>(
      `SELECT applicant->>'identifier' AS identifier, count(*) FROM delivery.delivery
       WHERE application_id = ANY($1::uuid[]) AND e_delivery_message_id IS NOT NULL GROUP BY 1`,
      [ids],
    );
    expect(applicants).toHaveLength(ids.length);
    for (const applicant of applicants) {
      expect(await eDelivery.inbox(applicant.identifier)).toHaveLength(Number(applicant.count));
    }

    // Nothing left behind: every outbox row published, nothing dead-lettered by these applications.
    for (const schema of ['applications', 'payments', 'delivery', 'districts', 'gateway']) {
      await eventually(
        () => query<{ count: string }>(`SELECT count(*) FROM "${schema}".outbox WHERE published_at IS NULL`),
        (rows) => rows[0]!.count === '0',
        60_000,
      );
    }
    const dead = await query<{ count: string }>(
      `SELECT count(*) FROM applications.dead_letter WHERE convert_from(value, 'UTF8') LIKE ANY($1::text[])`,
      [ids.map((id) => `%${id}%`)],
    );
    expect(dead[0]!.count).toBe('0');
  }, 400_000);
});

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Members of each consuming service's consumer group that have partitions assigned. */
async function groupMembers(): Promise<Record<string, number>> {
  const kafka = new Kafka({ clientId: 'scale-out-e2e', ...testEnv.kafkaClient('admin'), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([
      'umg.applications',
      'umg.applications.intake',
      'umg.payments',
      'umg.delivery',
      'umg.districts',
    ]);
    const partitionsOf = (assignment: Buffer) =>
      Object.values(AssignerProtocol.MemberAssignment.decode(assignment)?.assignment ?? {}).flat().length;
    return Object.fromEntries(
      groups.map((group) => [
        group.groupId,
        group.members.filter((member) => partitionsOf(member.memberAssignment) > 0).length,
      ]),
    );
  } finally {
    await admin.disconnect();
  }
}
