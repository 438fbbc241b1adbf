import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from '@umg/logging';
import { gatewayFiles, type GatewayConfig } from '../config';

/**
 * The HTTPS listener for mutual TLS: the same Nest application as the plain listener, with the
 * client certificate requested but judged by ClientCertificateStrategy (so a missing or bad one
 * gets a 401 problem+json, not a TLS abort). Outside production, without the default PKI files
 * (`npm run pki -- init`), the gateway runs without it and says so.
 */
export function startMutualTlsListener(
  app: NestExpressApplication,
  config: GatewayConfig,
  logger: Logger,
): Promise<Server | undefined> {
  const named = gatewayFiles(config);
  const files = [named.tlsCert, named.tlsKey, named.clientCa];
  if (!named.tlsExplicit && config.NODE_ENV !== 'production' && !files.every((file) => file && existsSync(file))) {
    logger.warn({ files }, 'no PKI files: the HTTPS (mutual TLS) listener is off; run "npm run pki -- init"');
    return Promise.resolve(undefined);
  }
  const [cert, key, ca] = files.map((file) => readFileSync(file!));
  const server = createServer(
    { cert, key, ca, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
    app.getHttpAdapter().getInstance(),
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.close();
      server.closeIdleConnections();
    });
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.GATEWAY_TLS_PORT, config.HOST, () => {
      logger.info({ url: `https://${config.HOST}:${config.GATEWAY_TLS_PORT}` }, 'mutual TLS listener started');
      resolve(server);
    });
  });
}
