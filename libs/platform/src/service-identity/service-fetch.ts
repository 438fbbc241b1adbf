import type { ServiceName } from './service-token';
import type { ServiceTokenIssuer } from './service-token-issuer';

/**
 * Wraps a `fetch` (plain or as openapi-fetch's) so every call to `audience` carries this
 * service's token, unless the call already names one (a call made for an operator or district).
 */
export function serviceFetch(
  issuer: ServiceTokenIssuer,
  audience: ServiceName,
  inner: typeof fetch = fetch,
): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has('authorization')) headers.set('authorization', await issuer.authorization(audience));
    return inner(input, { ...init, headers });
  };
}
