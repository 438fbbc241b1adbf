import { DistrictApiProblem } from './district-api-problem';
import type { components } from './generated/district-api';

type TokenResponse = components['schemas']['TokenResponse'];

/** An OAuth2 client the gateway's operators registered for the district (`npm run pki -- oauth-client`). */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to ask for; without it the token holds every scope of the client. */
  scope?: string;
}

/**
 * Access tokens by the client credentials grant (`POST /oauth/token`, RFC 6749 §4.4), kept until
 * shortly before they expire. Concurrent calls share one token request; a token the gateway
 * refuses (401) is dropped, so the next call gets a fresh one.
 */
export class AccessTokens {
  private token?: { value: string; refreshAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly tokenUrl: string,
    private readonly credentials: ClientCredentials,
    private readonly fetchImpl: typeof fetch,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token valid for at least a little while longer. */
  current(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return Promise.resolve(this.token.value);
    this.pending ??= this.issue().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets `value` (if it is still the current token): the gateway no longer accepts it. */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = undefined;
  }

  private async issue(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.credentials.scope) form.set('scope', this.credentials.scope);
    const response = await this.fetchImpl(this.tokenUrl, {
      method: 'POST',
      headers: {
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined.
        Authorization: `Basic ${btoa(`${formEncode(this.credentials.clientId)}:${formEncode(this.credentials.clientSecret)}`)}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: form.toString(),
    });
    if (!response.ok) throw await DistrictApiProblem.fromResponse(response);
    const issued = (await response.json()) as TokenResponse;
    // Renewed a little before it expires (30 s, or half its life if shorter), so a call never
    // leaves with a token that expires on the way.
    const lifetimeMs = issued.expires_in * 1000;
    const marginMs = Math.min(30_000, lifetimeMs / 2);
    this.token = { value: issued.access_token, refreshAt: this.now() + lifetimeMs - marginMs };
    return issued.access_token;
  }
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
