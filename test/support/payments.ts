import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { type Admin, type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { type ApplicationEvent, cloudEventTypes, type PaymentStatusChanged } from '@umg/contracts';
import { testEnv } from './test-env';
import { asGateway } from './service-identity';

export const paymentsClient = { clientId: 'sofia-umg-dev', secret: 'dev-payment-system-secret-0000' };

/** An application event as the applications service publishes it: by default one asking for payment. */
export function applicationEvent(overrides: Partial<ApplicationEvent> = {}): ApplicationEvent {
  return {
    applicationId: randomUUID(),
    portalApplicationId: `EGOV-2026-${randomBytes(4).toString('hex')}`,
    serviceReferenceNumber: `20260312-2016-${randomBytes(3).toString('hex')}`,
    districtCode: 'serdika',
    serviceNumber: 2016,
    urgency: 'regular',
    status: 'awaiting_payment',
    previousStatus: 'registered',
    sequence: 4,
    occurredAt: new Date().toISOString(),
    actor: { kind: 'system', id: 'applications' },
    registrationNumber: `СД-94-00-${Math.floor(Math.random() * 9999)}`,
    applicant: { identifierType: 'EGN', identifier: '7501020018', name: 'Иван Петров Иванов' },
    deliveryChannel: 'e_delivery',
    eDeliveryProfileId: '104578',
    ...overrides,
  };
}

/** Plays the applications service on `applications.events`, and reads `payments.events`. */
export class PaymentsKafka {
  private readonly kafka = new Kafka({
    clientId: 'payments-e2e',
    ...testEnv.kafkaClient('admin'),
    logLevel: logLevel.NOTHING,
  });
  private producer: Producer | undefined;
  private consumer: Consumer | undefined;
  private admin: Admin | undefined;
  readonly paymentEvents: PaymentStatusChanged[] = [];

  async start(): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.consumer = this.kafka.consumer({ groupId: `payments-e2e-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: 'payments.events', fromBeginning: true });
    const joined = new Promise<void>((resolve) => this.consumer!.on(this.consumer!.events.GROUP_JOIN, () => resolve()));
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        if (message.headers?.ce_type?.toString() !== cloudEventTypes.PaymentStatusChanged) return;
        this.paymentEvents.push(JSON.parse(message.value!.toString()) as PaymentStatusChanged);
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    await this.admin?.disconnect();
  }

  /** Publishes the event; `messageId` lets a test redeliver the very same message. Returns its position. */
  async publish(
    event: ApplicationEvent,
    messageId: string = randomUUID(),
  ): Promise<{ partition: number; offset: string }> {
    const [metadata] = await this.producer!.send({
      topic: 'applications.events',
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
          },
        },
      ],
    });
    return { partition: metadata!.partition, offset: metadata!.baseOffset! };
  }

  /** Whether the payments consumer group has committed past this message (it was processed). */
  async consumedByPayments(position: { partition: number; offset: string }): Promise<boolean> {
    const [topic] = await this.admin!.fetchOffsets({ groupId: 'umg.payments', topics: ['applications.events'] });
    const committed = topic?.partitions.find((entry) => entry.partition === position.partition)?.offset ?? '-1';
    return BigInt(committed) > BigInt(position.offset);
  }

  eventsOf(applicationId: string): PaymentStatusChanged[] {
    return this.paymentEvents.filter((event) => event.applicationId === applicationId);
  }
}

export interface PaymentRequestView {
  id: string;
  applicationId: string;
  attempt: number;
  aisPaymentId: string;
  paymentSystemId: string | null;
  status: string;
  amountMinor: number;
  currency: string;
  accessCode: string | null;
  rejectionReasons: string[] | null;
  problem: { code: string; detail: string } | null;
}

/** How many e-service calls the payment system simulator received, per operation and HTTP status. */
export async function simulatorCalls(): Promise<Record<string, { total: number; byStatus: Record<string, number> }>> {
  return (
    await simulator<{ byOperation: Record<string, { total: number; byStatus: Record<string, number> }> }>(
      'GET',
      '/calls',
    )
  ).byOperation;
}

export async function paymentRequestsOf(applicationId: string): Promise<PaymentRequestView[]> {
  const response = await fetch(`${testEnv.paymentsUrl}/internal/v1/applications/${applicationId}/payment-requests`, {
    headers: await asGateway('payments'),
  });
  return ((await response.json()) as { items: PaymentRequestView[] }).items;
}

export interface SimulatedPaymentView {
  id: string;
  aisPaymentId: string;
  clientId: string;
  accessCode: string | null;
  statusName: string;
  request: Record<string, unknown>;
  status: number;
  history: { status: number; changeTime: string }[];
  createCalls: number;
  notifications: { delivered: number; failed: number };
  paymentAmount: number;
  serviceProviderIBAN: string;
}

/** Drives the payment system simulator's control API. */
export async function simulator<T = SimulatedPaymentView>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${testEnv.paymentSystemUrl}/simulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A notification as the payment system sends it (form-encoded), signed with the given secret. */
export async function sendNotification(
  payload: unknown,
  options: { clientId?: string; secret?: string; data?: string; unsigned?: boolean } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const data = options.data ?? Buffer.from(JSON.stringify(payload)).toString('base64');
  const hmac = createHmac('sha256', options.secret ?? paymentsClient.secret)
    .update(data)
    .digest('base64');
  const response = await fetch(`${testEnv.paymentsCallbackUrl}/v1/payment-notifications`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    // The 2024 release sends Paid with ClientId and Data only.
    body: new URLSearchParams({
      ClientId: options.clientId ?? paymentsClient.clientId,
      ...(options.unsigned ? {} : { Hmac: hmac }),
      Data: data,
    }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Today in Sofia, `YYYY-MM-DD`. */
export function sofiaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Sofia' }).format(new Date());
}
