import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApplicationChange } from '@umg/contracts';
import { verify } from '../district-back-office/signature';

/** One POST the gateway made to the webhook, as received. */
export interface WebhookCall {
  pushId: string;
  signed: boolean;
  answered: number;
  items: ApplicationChange[];
}

/**
 * A pull back office that prefers its changes feed by webhook: it checks the gateway's HMAC
 * signature (the district's secret, as with pushes) and records the entries. `refuseNext(n, status)`
 * answers the next n calls with that status, to see the gateway retry (5xx) or park (4xx).
 */
export class ChangesWebhookReceiver {
  readonly calls: WebhookCall[] = [];
  private server: Server | undefined;
  private refusals: { left: number; status: number } = { left: 0, status: 503 };

  constructor(private secret: string) {}

  /** Listens on 127.0.0.1 and a free port; returns the webhook URL. */
  async start(path = '/changes'): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const header = (name: string) => request.headers[name] as string | undefined;
        const signed = verify(this.secret, header('x-umg-timestamp'), header('x-umg-signature'), body);
        let answered = signed ? 204 : 401;
        if (signed && this.refusals.left > 0) {
          this.refusals.left -= 1;
          answered = this.refusals.status;
        }
        const parsed = JSON.parse(body) as { pushId: string; items: ApplicationChange[] };
        this.calls.push({ pushId: parsed.pushId, signed, answered, items: parsed.items });
        response.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The entries it accepted (a 2xx), in the order they came. */
  accepted(): ApplicationChange[] {
    return this.calls.filter((call) => call.answered < 300).flatMap((call) => call.items);
  }

  refuseNext(count: number, status: number): void {
    this.refusals = { left: count, status };
  }

  rotate(secret: string): void {
    this.secret = secret;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
