import { createHash, randomInt, randomUUID } from 'node:crypto';
import type {
  Application,
  ApplicationChange,
  ApplicationChangePage,
  ApplicationPage,
  ApplicationSummary,
} from '@umg/contracts';

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

/** A problem answer of the district API, with its status and stable code. */
export class DistrictApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'DistrictApiError';
  }
}

/**
 * Plays a district back office that uses the pull style: it follows the district's changes feed
 * (long-poll, `followChanges`) — or lists by status (`poll`, its resync after a 410) — for new
 * applications, registers them under its own numbers, works on paid or fee-less ones and
 * uploads a signed result — over real HTTP, exactly as a district system would. With
 * `registerRouted: false` it plays the clerk of a push district, who processes and answers
 * through the API what the gateway pushed to the back office.
 */
export class DistrictPullClient {
  private sequence = randomInt(1000, 9000);
  /** Where it is in the changes feed; undefined = from the feed's start. */
  private cursor: string | undefined;
  /** How many changes the last `followChanges` page held (0: the long-poll ended empty). */
  lastPageSize = 0;

  constructor(private readonly options: DistrictPullClientOptions) {}

  /**
   * One long-poll of the changes feed (answered as soon as something changed, or empty after
   * `waitSeconds`), then the work the changes call for: register what was routed, process and
   * answer what is registered or paid. Only an application's latest change in the page counts;
   * one that moved on meanwhile (412/409) is left to its later change. A 410 (the feed does not
   * know the cursor) is the one case it lists: it works through the lists, then follows afresh.
   */
  async followChanges(waitSeconds = 20): Promise<string[]> {
    let page: ApplicationChangePage;
    try {
      page = await this.changes(this.cursor, waitSeconds);
    } catch (error) {
      if (!(error instanceof DistrictApiError) || error.status !== 410) throw error;
      this.cursor = undefined;
      this.lastPageSize = 0;
      return ['resync after 410', ...(await this.poll())];
    }
    this.cursor = page.nextCursor;
    this.lastPageSize = page.items.length;
    const latest = new Map<string, ApplicationChange>();
    for (const change of page.items) latest.set(change.applicationId, change);
    const done: string[] = [];
    await this.each([...latest.values()], async (change) => {
      try {
        const line = await this.actOn(change);
        if (line) done.push(line);
      } catch (error) {
        if (!(error instanceof DistrictApiError) || (error.status !== 409 && error.status !== 412)) throw error;
      }
    });
    return done;
  }

  /** One page of the changes feed after `after` (absent = from the start), waiting up to `waitSeconds`. */
  async changes(after: string | undefined, waitSeconds = 0, limit = 200): Promise<ApplicationChangePage> {
    const query = new URLSearchParams({ wait: String(waitSeconds), limit: String(limit), ...(after ? { after } : {}) });
    return (await this.request(
      'GET',
      `/v1/applications/changes?${query}`,
      undefined,
      {},
      waitSeconds * 1000,
    )) as ApplicationChangePage;
  }

  private async actOn(change: ApplicationChange): Promise<string | undefined> {
    const summary = { id: change.applicationId, version: change.version };
    if (change.status === 'routed' && this.options.registerRouted !== false) {
      const registered = await this.register(summary);
      return `registered ${change.applicationId} as ${registered.registrationNumber} → ${registered.status}`;
    }
    if ((change.status === 'registered' || change.status === 'paid') && this.options.processToResult) {
      const started = await this.post<Application>(change.applicationId, 'processing', change.version, {});
      const result = await this.submitResult(started);
      return `${change.applicationId} → ${result.status}`;
    }
    return undefined;
  }

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

  register(application: Pick<ApplicationSummary, 'id' | 'version'>): Promise<Application> {
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
    waitMs = 0,
  ): Promise<unknown> {
    const response = await fetch(`${this.options.gatewayUrl}${path}`, {
      method,
      body,
      headers: { 'X-Api-Key': this.options.apiKey, ...headers },
      signal: AbortSignal.timeout(15_000 + waitMs),
    });
    const answer = (await response.json()) as unknown;
    if (!response.ok) {
      throw new DistrictApiError(
        `${method} ${path} → ${response.status} ${JSON.stringify(answer)}`,
        response.status,
        (answer as { code?: string } | null)?.code,
      );
    }
    return answer;
  }
}
