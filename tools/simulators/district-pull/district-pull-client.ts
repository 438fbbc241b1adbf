import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Application, ApplicationPage, ApplicationSummary } from '@umg/contracts';

export interface DistrictPullClientOptions {
  gatewayUrl: string;
  apiKey: string;
  /** Prefix of the registration numbers this back office issues, e.g. `СРД`. */
  registrationPrefix: string;
  /** Also produce results (processing → result) rather than only registering. */
  processToResult: boolean;
  /**
   * Register new applications (default). A push district's back office is told of new
   * applications by the gateway and answers there; it uses the API only for the rest.
   */
  registerRouted?: boolean;
  /** How many applications it works on at once (1 by default); the bench plays busy offices. */
  concurrency?: number;
}

/**
 * Plays a district back office that uses the pull style: it polls the district API for new
 * applications, registers them under its own numbers, works on paid or fee-less ones and
 * uploads a signed result — over real HTTP, exactly as a district system would. With
 * `registerRouted: false` it plays the clerk of a push district, who processes and answers
 * through the API what the gateway pushed to the back office.
 */
export class DistrictPullClient {
  private sequence = randomInt(1000, 9000);

  constructor(private readonly options: DistrictPullClientOptions) {}

  /** One polling round; returns what it did, for logs and tests. */
  async poll(): Promise<string[]> {
    const done: string[] = [];
    const routed = this.options.registerRouted === false ? [] : await this.list('routed');
    await this.each(routed, async (application) => {
      const registered = await this.register(application);
      done.push(`registered ${application.id} as ${registered.registrationNumber} → ${registered.status}`);
    });
    if (!this.options.processToResult) return done;
    for (const status of ['registered', 'paid'] as const) {
      await this.each(await this.list(status), async (application) => {
        const started = await this.post<Application>(application.id, 'processing', application.version, {});
        const result = await this.submitResult(started);
        done.push(`${application.id} → ${result.status}`);
      });
    }
    return done;
  }

  /** Works through the items, `concurrency` at a time (one by one unless set, like a small office). */
  private async each<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
    const width = this.options.concurrency ?? 1;
    for (let start = 0; start < items.length; start += width) {
      await Promise.all(items.slice(start, start + width).map(work));
    }
  }

  async list(status: string): Promise<ApplicationSummary[]> {
    const items: ApplicationSummary[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ status, limit: '100', ...(cursor ? { cursor } : {}) });
      const page = (await this.request('GET', `/v1/applications?${query}`)) as ApplicationPage;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  register(application: ApplicationSummary): Promise<Application> {
    this.sequence += 1;
    return this.post<Application>(application.id, 'registration', application.version, {
      registrationNumber: `${this.options.registrationPrefix}-${new Date().getFullYear()}-${this.sequence}`,
    });
  }

  async submitResult(application: Application): Promise<Application> {
    const content = Buffer.from(
      `%PDF-1.4\n% Удостоверение по заявление ${application.registrationNumber}\n%%EOF\n`,
      'utf8',
    );
    const form = new FormData();
    form.append(
      'metadata',
      JSON.stringify({
        fileName: `udostoverenie-${application.registrationNumber}.pdf`,
        mediaType: 'application/pdf',
        sha256: createHash('sha256').update(content).digest('hex'),
        kind: 'result',
      }),
    );
    form.append('document', new Blob([new Uint8Array(content)], { type: 'application/pdf' }), 'result.pdf');
    return (await this.request('POST', `/v1/applications/${application.id}/result`, form, {
      'If-Match': `"${application.version}"`,
      'Idempotency-Key': randomUUID(),
    })) as Application;
  }

  private async post<T>(id: string, step: string, version: number, body: unknown): Promise<T> {
    return (await this.request('POST', `/v1/applications/${id}/${step}`, JSON.stringify(body), {
      'Content-Type': 'application/json',
      'If-Match': `"${version}"`,
      'Idempotency-Key': randomUUID(),
    })) as T;
  }

  private async request(
    method: string,
    path: string,
    body?: string | FormData,
    headers: Record<string, string> = {},
  ): Promise<unknown> {
    const response = await fetch(`${this.options.gatewayUrl}${path}`, {
      method,
      body,
      headers: { 'X-Api-Key': this.options.apiKey, ...headers },
      signal: AbortSignal.timeout(15_000),
    });
    const answer = (await response.json()) as unknown;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  }
}
