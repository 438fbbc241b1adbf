import { randomBytes, randomUUID } from 'node:crypto';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { type ApplicationEvent, cloudEventTypes, type DeliveryStatusChanged, kafkaTopics } from '@umg/contracts';
import { testEnv } from './test-env';
import { randomEgn } from '../../tools/simulators/portal/egn';

/**
 * Plays the applications service on `applications.events` (the interface delivery consumes) and
 * listens to `delivery.events`, over the real broker.
 */
export class DeliveryKafka {
  private readonly kafka = new Kafka({
    clientId: 'delivery-test',
    ...testEnv.kafkaClient('admin'),
    logLevel: logLevel.NOTHING,
  });
  private producer: Producer | undefined;
  private consumer: Consumer | undefined;
  readonly received: DeliveryStatusChanged[] = [];

  async start(): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: `delivery-test-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: kafkaTopics.deliveryEvents, fromBeginning: false });
    const joined = new Promise<void>((resolve) => this.consumer!.on(this.consumer!.events.GROUP_JOIN, () => resolve()));
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        this.received.push(JSON.parse(message.value!.toString()) as DeliveryStatusChanged);
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  /** Publishes an application event; `messageId` lets a test redeliver the very same message. */
  async publish(event: ApplicationEvent, messageId: string = randomUUID()): Promise<void> {
    await this.producer!.send({
      topic: kafkaTopics.applicationsEvents,
      acks: -1,
      messages: [
        {
          key: event.applicationId,
          value: JSON.stringify(event),
          headers: {
            ce_specversion: '1.0',
            ce_id: messageId,
            ce_type: cloudEventTypes.ApplicationEvent,
            ce_source: 'urn:umg:service:applications',
            ce_time: new Date().toISOString(),
            'content-type': 'application/json',
            traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
          },
        },
      ],
    });
  }

  /** The delivery statuses seen so far for an application (and notice kind), in order. */
  statuses(applicationId: string, noticeKind?: DeliveryStatusChanged['noticeKind']): DeliveryStatusChanged[] {
    return this.received.filter(
      (change) => change.applicationId === applicationId && (!noticeKind || change.noticeKind === noticeKind),
    );
  }

  /** Waits for a status change that matches. */
  async waitFor(
    applicationId: string,
    match: (change: DeliveryStatusChanged) => boolean,
    timeoutMs = 30_000,
  ): Promise<DeliveryStatusChanged> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.statuses(applicationId).find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.statuses(applicationId).map((change) => `${change.noticeKind}:${change.status}`);
        throw new Error(`no matching delivery status for ${applicationId}; seen: ${seen.join(', ') || 'none'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** An application event as the applications service publishes it. */
export function applicationEvent(overrides: Partial<ApplicationEvent> = {}): ApplicationEvent {
  return {
    applicationId: randomUUID(),
    portalApplicationId: `EGOV-${randomUUID()}`,
    serviceReferenceNumber: `2026-${Math.floor(100000 + Math.random() * 899999)}-0001`,
    districtCode: 'serdika',
    serviceNumber: 2016,
    urgency: 'regular',
    status: 'registered',
    previousStatus: 'routed',
    sequence: 3,
    occurredAt: new Date().toISOString(),
    actor: { kind: 'district', id: 'serdika-back-office' },
    registrationNumber: 'СР-94-00-1234/12.03.2026',
    // Each applicant their own ЕГН: e-delivery's inboxes are per person.
    applicant: { identifierType: 'EGN', identifier: randomEgn(), name: 'Иван Петров Иванов' },
    deliveryChannel: 'e_delivery',
    eDeliveryProfileId: `profile-${randomUUID()}`,
    ...overrides,
  };
}
