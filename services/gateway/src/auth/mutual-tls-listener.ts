import { existsSync, readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { INTERNET_FACING, type ListenerAudience } from '@umg/platform';
import type { Logger } from '@umg/logging';
import { gatewayFiles, type GatewayConfig } from '../config';

/**
 * The internet-facing listener (GATEWAY_TLS_PORT, behind the load balancer): only the routes
 * marked `@InternetFacing()` (district API, `/oauth/token`, open data, `/health/live`). The operator
 * API, the console and readiness answer 404 here; operators come through GATEWAY_PORT behind the
 * operators' ingress.
 */
export const internetFacingAudience: ListenerAudience = {
  name: 'mutual-tls',
  serves: INTERNET_FACING,
  exclusive: false,
};

/**
 * TLS settings of the internet-facing listener: the client certificate is requested but judged by
 * ClientCertificateStrategy (so a missing or bad one gets a 401 problem+json, not a TLS abort).
 * Outside production, without the default PKI files (`npm run pki -- init`), the gateway runs
 * without it and says so (undefined).
 */
export function mutualTlsOptions(config: GatewayConfig, logger: Logger): ServerOptions | undefined {
  const named = gatewayFiles(config);
  const files = [named.tlsCert, named.tlsKey, named.clientCa];
  if (!named.tlsExplicit && config.NODE_ENV !== 'production' && !files.every((file) => file && existsSync(file))) {
    logger.warn({ files }, 'no PKI files: the HTTPS (mutual TLS) listener is off; run "npm run pki -- init"');
    return undefined;
  }
  const [cert, key, ca] = files.map((file) => readFileSync(file!));
  return { cert, key, ca, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' };
}
