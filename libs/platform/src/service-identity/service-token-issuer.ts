import { SignJWT } from 'jose';
import type { ServiceIdentity } from './service-identity-keys';
import { maxServiceTokenSeconds, type OnBehalfOf, type ServiceName, serviceTokenAlgorithm } from './service-token';

/** A token is used until this many seconds before it expires, so it never lapses in flight. */
const renewBeforeSeconds = 15;
/** Distinct (audience, principal) pairs kept; operators and district clients are few. */
const maxCachedTokens = 2_000;

/**
 * Signs this service's short-lived tokens (ES256, ≤ 60 s) towards another service, and reuses each
 * until shortly before it expires: a busy gateway signs a few tokens a minute, not one per request.
 */
export class ServiceTokenIssuer {
  private readonly cache = new Map<string, { token: Promise<string>; renewAt: number }>();

  constructor(
    private readonly identity: Pick<ServiceIdentity, 'service' | 'privateKey' | 'keyId'>,
    private readonly lifetimeSeconds = maxServiceTokenSeconds,
    private readonly now: () => number = Date.now,
  ) {}

  /** The `Authorization` header value for a call to `audience`, for someone or for the service itself. */
  async authorization(audience: ServiceName, onBehalfOf?: OnBehalfOf): Promise<string> {
    return `Bearer ${await this.token(audience, onBehalfOf)}`;
  }

  token(audience: ServiceName, onBehalfOf?: OnBehalfOf): Promise<string> {
    const key = `${audience}\n${onBehalfOf ? JSON.stringify(onBehalfOf) : ''}`;
    const cached = this.cache.get(key);
    if (cached && cached.renewAt > this.now()) return cached.token;
    if (this.cache.size >= maxCachedTokens) this.cache.clear();
    const token = this.sign(audience, onBehalfOf);
    this.cache.set(key, { token, renewAt: this.now() + (this.lifetimeSeconds - renewBeforeSeconds) * 1000 });
    // A failed signing must not be served from the cache to the next caller.
    token.catch(() => this.cache.delete(key));
    return token;
  }

  private sign(audience: ServiceName, onBehalfOf?: OnBehalfOf): Promise<string> {
    const issuedAt = Math.floor(this.now() / 1000);
    return new SignJWT({ ...onBehalfOf })
      .setProtectedHeader({ alg: serviceTokenAlgorithm, kid: this.identity.keyId, typ: 'JWT' })
      .setIssuer(this.identity.service)
      .setSubject(this.identity.service)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.lifetimeSeconds)
      .sign(this.identity.privateKey);
  }
}
