import { createHash, randomUUID } from 'node:crypto';
import type { Application, ApplicationPage, ApplicationStatusChanged, ApplicationSubmitted } from '@umg/contracts';
import { type KafkaConnection, kafkaClientOptions } from '@umg/messaging';
import { PortalSimulator } from '../simulators/portal/portal-simulator';
import { EDeliveryControl } from '../simulators/e-delivery/e-delivery-control';
import { randomSubmission } from '../simulators/portal/submission-factory';
import { signedHeaders } from '../simulators/district-back-office/signature';
import type { SignAsGateway } from '../dev/gateway-signature';
import type { ChaosSnapshot } from './invariants';
import type { PlannedApplication } from './plan';

/** What the run did that the invariants are checked against. */
export class ChaosRecord {
  readonly submissions: ChaosSnapshot['submissions'] = [];
  readonly acceptedDecisions: ChaosSnapshot['acceptedDecisions'] = [];
  readonly portalHeard: ChaosSnapshot['portalHeard'] = [];
  readonly poison: ChaosSnapshot['poison'] = [];
  /** Faults the driver itself causes while it plays its part (replayed and out-of-order callbacks). */
  readonly driverFaults: { kind: string; at: number }[] = [];
}

export interface DriverUrls {
  gateway: string;
  payments: string;
  paymentSystem: string;
  districts: string;
  /** The districts service's public callback listener (back offices' answers). */
  districtsCallbacks: string;
  eDelivery: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const actionable = ['routed', 'registered', 'awaiting_payment', 'expired_unpaid', 'paid', 'in_progress'];
/** The district API answers 200 with the application; each step's status when it was taken. */
const stepStatus: Record<string, string> = {
  registration: 'registered',
  refusal: 'refused',
  processing: 'in_progress',
  result: 'result_ready',
  'payment-request': 'awaiting_payment',
};

/**
 * Plays everyone around the gateway, following each application's script: the portal (files and
 * withdraws), the districts' back-office clerks (through the district API; the push districts'
 * back offices register by themselves, answering the pushes), and the citizens (pay, or let the
 * payment expire, through the payment system simulator). Every actor works from what it reads
 * now (at least once, versions checked), so an action lost to a fault is simply taken again.
 */
export class ChaosDriver {
  private readonly portal: PortalSimulator;
  private readonly plans = new Map<string, PlannedApplication>();
  private readonly lastAction = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private readonly idempotencyKeys = new Map<string, string>();
  private readonly replayed = new Set<string>();
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(
    /** The portal's Kafka identity, for the simulated portal. */
    portalKafka: KafkaConnection,
    private readonly urls: DriverUrls,
    private readonly apiKeys: Record<string, string>,
    private readonly jsonBackOfficeSecret: string,
    readonly record: ChaosRecord,
    /** When the run started: the driver's own faults are timed from it, like the injected ones. */
    private readonly startedAt: number,
    /** Reads internal APIs as the gateway would (with the run's own PKI). */
    private readonly asGateway: SignAsGateway,
  ) {
    this.portal = new PortalSimulator(portalKafka);
  }

  private get seconds(): number {
    return Math.round((Date.now() - this.startedAt) / 1000);
  }

  async start(plans: PlannedApplication[], districtCodes: string[]): Promise<void> {
    for (const plan of plans) this.plans.set(plan.portalApplicationId, plan);
    await this.portal.start();
    this.portal.onStatus((message) => {
      if (message.type !== 'status-changed') return;
      const body = message.body as ApplicationStatusChanged;
      if (!this.plans.has(body.portalApplicationId)) return;
      this.record.portalHeard.push({ applicationId: body.applicationId, sequence: body.sequence });
    });
    this.loops = districtCodes.map((code) => this.districtLoop(code));
  }

  /** Files every planned application at `perSecond`, retrying each until the broker acknowledged it. */
  async submitAll(perSecond: number): Promise<void> {
    const gap = 1000 / perSecond;
    let next = Date.now();
    const pending: Promise<void>[] = [];
    for (const plan of this.plans.values()) {
      if (this.stopped) break;
      next += gap;
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      pending.push(this.submit(plan));
      // Keep a bounded number of publications waiting for a broker that is away.
      if (pending.length >= 200) await Promise.all(pending.splice(0, 100));
    }
    await Promise.all(pending);
  }

  private async submit(plan: PlannedApplication): Promise<void> {
    const submission: ApplicationSubmitted = {
      ...randomSubmission({
        districtCode: plan.districtCode,
        serviceNumber: plan.serviceNumber,
        urgency: plan.urgency,
      }),
      portalApplicationId: plan.portalApplicationId,
      eDeliveryProfileId: plan.eDeliveryProfileId,
    };
    // The "collection" script's applicant has no e-delivery profile: their result waits at the desk.
    if (plan.script === 'collection') {
      await new EDeliveryControl(this.urls.eDelivery).registerSubject({
        identifier: submission.applicant.identifier,
        type: 'Person',
        registered: false,
      });
    }
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.portal.submit(submission, plan.messageId);
        this.record.submissions.push({ portalApplicationId: plan.portalApplicationId, script: plan.script });
        return;
      } catch {
        // The portal keeps the application and tries again, as the real one does.
        await sleep(Math.min(5_000, 250 * attempt));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    await this.portal.stop().catch(() => undefined);
  }

  /** A district's back office (and its applicants and their payments), round after round. */
  private async districtLoop(code: string): Promise<void> {
    while (!this.stopped) {
      try {
        const applications = await this.list(code);
        const work = applications.filter((application) => this.plans.has(application.portalApplicationId));
        for (let i = 0; i < work.length; i += 8) {
          await Promise.all(work.slice(i, i + 8).map((application) => this.act(code, application)));
        }
      } catch {
        // The gateway or what is behind it is away; the next round tries again.
      }
      await sleep(1_000);
    }
  }

  private async list(code: string): Promise<ApplicationPage['items']> {
    const items: ApplicationPage['items'] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams(<[string, string][]>[
        ...actionable.map((status) => ['status', status]),
        ['limit', '100'],
        ...(cursor ? [['cursor', cursor]] : []),
      ]);
      const answer = await this.district(code, 'GET', `/v1/applications?${query}`);
      if (answer.status !== 200) throw new Error(`list ${code}: ${answer.status}`);
      const page = answer.body as ApplicationPage;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  /** One step of the application's script from where it is now; once per state, retried after a pause. */
  private async act(code: string, application: ApplicationPage['items'][number]): Promise<void> {
    const plan = this.plans.get(application.portalApplicationId)!;
    const key = `${application.id}/${application.status}/${application.version}`;
    if (this.inFlight.has(application.id) || Date.now() - (this.lastAction.get(key) ?? 0) < 15_000) return;
    this.inFlight.add(application.id);
    this.lastAction.set(key, Date.now());
    try {
      await this.step(code, plan, application);
    } catch {
      // Lost to a fault: taken again in a later round.
      this.lastAction.set(key, Date.now() - 10_000);
    } finally {
      this.inFlight.delete(application.id);
    }
  }

  private async step(code: string, plan: PlannedApplication, app: ApplicationPage['items'][number]): Promise<void> {
    const push = plan.style !== 'pull';
    switch (app.status) {
      case 'routed':
        if (push) return; // the push back office registers it when the push arrives
        if (plan.script === 'withdrawn' && plan.withdrawAt === 'routed')
          return this.portal.withdraw(plan.portalApplicationId);
        if (plan.script === 'refused') {
          return this.decide(code, app, 'refusal', { reasons: [{ message: 'Липсва пълномощно (chaos)' }] });
        }
        // The same number on every try: a retry with the same Idempotency-Key must be the same request.
        return this.decide(code, app, 'registration', { registrationNumber: `CH-${app.id}` });
      case 'registered':
        await this.replayPushDecision(plan, app);
        return this.decide(code, app, 'processing', {});
      case 'awaiting_payment':
        await this.replayPushDecision(plan, app);
        if (plan.script === 'withdrawn') return this.portal.withdraw(plan.portalApplicationId);
        return this.citizen(plan, app.id);
      case 'expired_unpaid':
        if (plan.script === 'repaid')
          return this.decide(code, app, 'payment-request', { note: 'second chance (chaos)' });
        return;
      case 'paid':
        return this.decide(code, app, 'processing', {});
      case 'in_progress':
        if (plan.script === 'refused') {
          return this.decide(code, app, 'refusal', { reasons: [{ message: 'Отказ след проверка (chaos)' }] });
        }
        return this.submitResult(code, app);
      default:
        return; // not listed: nothing for the district, the applicant or the citizen to do
    }
  }

  /** The citizen pays the open payment request, or lets it expire (the payment system expires it). */
  private async citizen(plan: PlannedApplication, applicationId: string): Promise<void> {
    const response = await fetch(`${this.urls.payments}/internal/v1/applications/${applicationId}/payment-requests`, {
      headers: await this.asGateway('payments'),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`payment requests: ${response.status}`);
    const { items } = (await response.json()) as {
      items: { attempt: number; paymentSystemId: string | null; status: string }[];
    };
    const latest = items.sort((a, b) => b.attempt - a.attempt)[0];
    // Not yet made at the payment system (it may be down): the next round looks again.
    if (!latest?.paymentSystemId || latest.status !== 'pending') throw new Error('no open payment request yet');
    const expire = plan.script === 'expired' || (plan.script === 'repaid' && latest.attempt === 1);
    await this.paymentSystem(`/payments/${latest.paymentSystemId}/${expire ? 'expire' : 'pay'}`, {
      channel: Math.random() < 0.8 ? 'card' : 'transfer',
    });
    if (Math.random() < 0.15) {
      // Out of order: the first status (Pending, the oldest ChangeTime) notified again after the newer ones.
      const id = latest.paymentSystemId;
      setTimeout(() => {
        this.paymentSystem(`/payments/${id}/resend`, { index: 0 }).then(
          () => this.record.driverFaults.push({ kind: 'payment notification out of order', at: this.seconds }),
          () => undefined,
        );
      }, 3_000);
    }
  }

  /** Now and then the Sredets back office sends its (asynchronous-style) decision again: a duplicate callback. */
  private async replayPushDecision(plan: PlannedApplication, app: ApplicationPage['items'][number]): Promise<void> {
    if (plan.style !== 'push_json' || !app.registrationNumber || this.replayed.has(app.id) || Math.random() > 0.2)
      return;
    this.replayed.add(app.id);
    const body = JSON.stringify({
      applicationId: app.id,
      decision: 'register',
      registrationNumber: app.registrationNumber,
      backOfficeReference: `DOC-${app.id.slice(0, 8)}`,
    });
    const response = await fetch(`${this.urls.districtsCallbacks}/back-office/sredets/decisions`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', ...signedHeaders(this.jsonBackOfficeSecret, body) },
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    if (response?.ok) this.record.driverFaults.push({ kind: 'back-office decision replayed', at: this.seconds });
  }

  private async decide(
    code: string,
    app: ApplicationPage['items'][number],
    step: string,
    body: unknown,
  ): Promise<void> {
    const answer = await this.district(code, 'POST', `/v1/applications/${app.id}/${step}`, JSON.stringify(body), {
      'Content-Type': 'application/json',
      'If-Match': `"${app.version}"`,
      'Idempotency-Key': this.idempotencyKey(app.id, step, app.version),
    });
    this.accepted(app.id, step, answer.status);
  }

  private async submitResult(code: string, app: ApplicationPage['items'][number]): Promise<void> {
    const content = Buffer.from(`%PDF-1.4\n% Удостоверение ${app.registrationNumber} (chaos)\n%%EOF\n`, 'utf8');
    const form = new FormData();
    form.append(
      'metadata',
      JSON.stringify({
        fileName: 'udostoverenie.pdf',
        mediaType: 'application/pdf',
        sha256: createHash('sha256').update(content).digest('hex'),
        kind: 'result',
      }),
    );
    form.append('document', new Blob([new Uint8Array(content)], { type: 'application/pdf' }), 'result.pdf');
    const answer = await this.district(code, 'POST', `/v1/applications/${app.id}/result`, form, {
      'If-Match': `"${app.version}"`,
      'Idempotency-Key': this.idempotencyKey(app.id, 'result', app.version),
    });
    this.accepted(app.id, 'result', answer.status);
  }

  private accepted(applicationId: string, step: string, status: number): void {
    if (status === 200) this.record.acceptedDecisions.push({ applicationId, step, toStatus: stepStatus[step]! });
    // 412/409: someone (an earlier try whose answer was lost, a push) moved it on; 5xx: the next round.
    else if (status >= 500 || status === 429) throw new Error(`${step}: ${status}`);
  }

  /** The same key for a retried step at the same version: a lost answer is replayed, not redone. */
  private idempotencyKey(applicationId: string, step: string, version: number): string {
    const name = `${applicationId}/${step}/${version}`;
    const key = this.idempotencyKeys.get(name) ?? randomUUID();
    this.idempotencyKeys.set(name, key);
    return key;
  }

  private async district(
    code: string,
    method: string,
    path: string,
    body?: string | FormData,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.urls.gateway}${path}`, {
      method,
      body,
      headers: { 'X-Api-Key': this.apiKeys[code]!, ...headers },
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed as Application };
  }

  private async paymentSystem(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${this.urls.paymentSystem}/simulator${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`payment system simulator ${path}: ${response.status}`);
  }

  /** Poison: bytes that are not JSON, on every topic a service consumes, each with its own message id. */
  // The admin identity: poison goes to topics no single principal may write (the injected fault stands for a bug anywhere).
  async sendPoison(admin: KafkaConnection, targets: { topic: string; groups: string[] }[]): Promise<void> {
    const { Kafka, logLevel } = await import('kafkajs');
    const producer = new Kafka({
      clientId: 'chaos-poison',
      ...kafkaClientOptions(admin),
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    try {
      for (const { topic, groups } of targets) {
        const messageId = `chaos-poison-${randomUUID()}`;
        await producer.send({
          topic,
          acks: -1,
          messages: [
            {
              key: randomUUID(),
              value: `{"this is": not json ${messageId}`,
              headers: {
                ce_specversion: '1.0',
                ce_id: messageId,
                ce_type: 'bg.sofia.umg.chaos.poison.v1',
                ce_source: 'urn:umg:chaos',
                ce_time: new Date().toISOString(),
                'content-type': 'application/json',
              },
            },
          ],
        });
        this.record.poison.push({ messageId, groups });
      }
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  /** Whether the application exists for the plan yet (for progress lines). */
  plannedCount(): number {
    return this.plans.size;
  }
}
