import { randomBytes, randomUUID } from 'node:crypto';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { type KafkaConnection, kafkaClientOptions } from '@umg/messaging';
import {
  type ApplicationSubmitted,
  type ApplicationStatusChanged,
  cloudEventTypes,
  kafkaTopics,
  type LifeEventRequested,
  type LifeEventStatusChanged,
  type SubmissionRejected,
} from '@umg/contracts';

const submissionTopic = kafkaTopics.portalApplicationSubmitted;
const statusTopic = kafkaTopics.portalApplicationStatus;

export type PortalStatusMessage =
  | { type: 'status-changed'; body: ApplicationStatusChanged }
  | { type: 'submission-rejected'; body: SubmissionRejected };

/**
 * Plays the single portal (egov.bg) on the Kafka side: publishes applications as the portal
 * would and listens to the status updates the gateway sends back. Speaks only the wire format.
 */
export class PortalSimulator {
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private consumer: Consumer | undefined;
  private readonly listeners = new Set<(message: PortalStatusMessage) => void>();
  /** Every life-event status notice heard, in arrival order. */
  readonly lifeEvents: LifeEventStatusChanged[] = [];

  /** `connection`: the portal's own Kafka identity (it may write submissions and read status updates, no more). */
  constructor(connection: KafkaConnection) {
    this.kafka = new Kafka({
      clientId: 'portal-simulator',
      ...kafkaClientOptions(connection),
      logLevel: logLevel.NOTHING,
    });
  }

  async start(options: { listen: boolean } = { listen: true }): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    if (!options.listen) return;
    this.consumer = this.kafka.consumer({ groupId: `portal-simulator-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: statusTopic, fromBeginning: false });
    // Wait until the consumer owns its partitions, so no status update is missed.
    const joined = new Promise<void>((resolve) => this.consumer!.on(this.consumer!.events.GROUP_JOIN, () => resolve()));
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const type = message.headers?.ce_type?.toString() ?? '';
        const body = JSON.parse(message.value?.toString() ?? 'null');
        if (type === cloudEventTypes.LifeEventStatusChanged) {
          this.lifeEvents.push(body as LifeEventStatusChanged);
          return;
        }
        const parsed: PortalStatusMessage =
          type === cloudEventTypes.SubmissionRejected
            ? { type: 'submission-rejected', body }
            : { type: 'status-changed', body };
        for (const listener of this.listeners) listener(parsed);
      },
    });
    await joined;
  }

  onStatus(listener: (message: PortalStatusMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Publishes a submission; `messageId` lets a test redeliver the very same message, `headers`
   * adds or replaces headers (e.g. the portal's `traceparent`).
   */
  async submit(
    submission: ApplicationSubmitted,
    messageId: string = randomUUID(),
    headers: Record<string, string> = {},
  ): Promise<void> {
    await this.sendRaw(submission.portalApplicationId, JSON.stringify(submission), {
      ce_id: messageId,
      ce_type: cloudEventTypes.ApplicationSubmitted,
      ...headers,
    });
  }

  /** One request for a life event (a bundle of applications); `messageId` lets a test redeliver it. */
  async requestLifeEvent(request: LifeEventRequested, messageId: string = randomUUID()): Promise<void> {
    await this.sendRaw(request.requestId, JSON.stringify(request), {
      ce_id: messageId,
      ce_type: cloudEventTypes.LifeEventRequested,
    });
  }

  /** The applicant withdraws the application on the portal. */
  async withdraw(portalApplicationId: string, reason?: string): Promise<void> {
    await this.sendRaw(
      portalApplicationId,
      JSON.stringify({ portalApplicationId, withdrawnAt: new Date().toISOString(), ...(reason ? { reason } : {}) }),
      { ce_type: cloudEventTypes.ApplicationWithdrawn },
    );
  }

  /** Publishes arbitrary bytes, for poison-message tests. */
  async sendRaw(key: string, value: string, headers: Record<string, string> = {}): Promise<void> {
    await this.producer!.send({
      topic: submissionTopic,
      acks: -1,
      messages: [
        {
          key,
          value,
          headers: {
            ce_specversion: '1.0',
            ce_id: randomUUID(),
            ce_type: cloudEventTypes.ApplicationSubmitted,
            ce_source: 'urn:egov:portal',
            ce_time: new Date().toISOString(),
            'content-type': 'application/json',
            traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
            ...headers,
          },
        },
      ],
    });
  }

  /** Resolves with the first status message that matches, or rejects after a timeout. */
  waitFor(match: (message: PortalStatusMessage) => boolean, timeoutMs = 30_000): Promise<PortalStatusMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error('timed out waiting for a portal status message'));
      }, timeoutMs);
      const stop = this.onStatus((message) => {
        if (!match(message)) return;
        clearTimeout(timer);
        stop();
        resolve(message);
      });
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }
}
