import { resolve } from 'node:path';
import { z } from 'zod';
import {
  commonConfigShape,
  loadConfig,
  portSchema,
  refuseDevelopmentSecrets,
  serviceIdentityConfigShape,
} from '@umg/config';

/** `code=key,code=key`: development API keys per district (off unless set or in development). */
const apiKeyList = z
  .string()
  .regex(/^([a-z-]+=[^,=\s]{16,})(,[a-z-]+=[^,=\s]{16,})*$/, 'expected district=key pairs, keys of 16+ characters')
  .transform((value) =>
    value.split(',').map((pair) => {
      const [districtCode, key] = pair.split('=') as [string, string];
      return { districtCode, key };
    }),
  );

/** The PKI command's default folder, relative to where the services run (the repository root). */
const devPkiDir = '.data/pki';
const devDefault = (name: string) => `outside production defaults to ${devPkiDir}/${name}`;
const file = z.string().min(1).optional();

export const gatewayConfigSchema = z
  .object({
    ...commonConfigShape,
    ...serviceIdentityConfigShape,
    GATEWAY_PORT: portSchema
      .default(3000)
      .describe('HTTP port of every route (operator API, console, district API), behind the ingress controller.'),
    GATEWAY_MANAGEMENT_PORT: portSchema
      .default(3090)
      .describe('Port of /metrics (Prometheus), kept off the public port; expose it to the monitoring network only.'),
    APPLICATIONS_URL: z
      .string()
      .url()
      .default('http://127.0.0.1:3101')
      .describe('Base URL of the applications service’s internal API.'),
    DELIVERY_URL: z
      .string()
      .url()
      .default('http://127.0.0.1:3103')
      .describe('Base URL of the delivery service’s internal API.'),
    PAYMENTS_URL: z
      .string()
      .url()
      .default('http://127.0.0.1:3102')
      .describe('Base URL of the payments service’s internal API.'),
    DISTRICTS_URL: z
      .string()
      .url()
      .default('http://127.0.0.1:3104')
      .describe('Base URL of the districts service’s internal (operator) API, for the console.'),
    DISTRICT_API_KEYS: apiKeyList
      .optional()
      .describe('Development-only API keys per district; in development every district gets dev-key-<code>-0000.'),
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    EXCHANGE_LOG_POLL_SUMMARY_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .default(30_000)
      .describe(
        'District polls that find nothing are counted and written to the exchange log as one summary record per credential and route this often (and at shutdown).',
      ),
    GATEWAY_RATE_LIMIT_PER_SECOND: z.coerce
      .number()
      .min(0.1)
      .max(100_000)
      .default(20)
      .describe('Steady request rate allowed per district (all gateway instances together).'),
    GATEWAY_RATE_LIMIT_BURST: z.coerce
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(60)
      .describe('Requests a district may send at once above the steady rate.'),
    GATEWAY_TLS_PORT: portSchema
      .default(3443)
      .describe(
        'HTTPS port for the internet (mutual TLS): only the district API, /oauth/token, open data and /health/live.',
      ),
    GATEWAY_TLS_CERT_FILE: file.describe(`The gateway's server certificate (PEM); ${devDefault('server.cert.pem')}`),
    GATEWAY_TLS_KEY_FILE: file.describe(`The server certificate's private key (PEM); ${devDefault('server.key.pem')}`),
    GATEWAY_CLIENT_CA_FILE: file.describe(
      `CA(s) that issue district client certificates (PEM); ${devDefault('ca.cert.pem')}`,
    ),
    CLIENT_CERTIFICATE_REVOCATION_CACHE_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(5_000)
      .default(5_000)
      .describe('How long the list of revoked client certificates is cached; a revocation takes effect within it.'),
    OAUTH_ISSUER: z.string().min(1).default('urn:sofia:umg:gateway').describe('`iss` of the access tokens issued.'),
    OAUTH_SIGNING_KEY_FILE: file.describe(
      `EC P-256 private key (PKCS#8 PEM) that signs access tokens (ES256); ${devDefault('oauth-signing.key.pem')}`,
    ),
    OAUTH_CLIENTS_FILE: file.describe(
      `JSON list of OAuth clients {clientId, secretHash, districtCode, scopes}; ${devDefault('oauth-clients.json')}, optional in production (no clients, no tokens)`,
    ),
    OAUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(300).default(300).describe('Access token lifetime.'),
    OPERATOR_SESSION_HOURS: z.coerce.number().min(0.1).max(24).default(8).describe('Lifetime of an operator session.'),
    OPERATOR_SIGN_IN_ACCOUNT_FAILURES: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(5)
      .describe('Failed sign-ins to one account name within the window that lock it.'),
    OPERATOR_SIGN_IN_ADDRESS_FAILURES: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(20)
      .describe('Failed sign-ins from one client address within the window that lock it.'),
    OPERATOR_SIGN_IN_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(900)
      .describe('Window in which failed sign-ins are counted.'),
    OPERATOR_SIGN_IN_LOCK_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(900)
      .describe('How long a locked account name or address is refused, without checking its password.'),
    OAUTH_TOKEN_CLIENT_FAILURES: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_000)
      .default(10)
      .describe('Failed /oauth/token authentications of one client id within the window that lock it.'),
    OAUTH_TOKEN_ADDRESS_FAILURES: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(30)
      .describe('Failed /oauth/token authentications from one client address within the window that lock it.'),
    OAUTH_TOKEN_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(900)
      .describe('Window in which failed /oauth/token authentications are counted.'),
    OAUTH_TOKEN_LOCK_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(900)
      .describe('How long a locked client id or address is refused at /oauth/token, without hashing its secret.'),
    GATEWAY_RESULT_UPLOADS_IN_FLIGHT: z.coerce
      .number()
      .int()
      .min(1)
      .max(256)
      .default(4)
      .describe(
        'Result uploads one gateway instance receives at once (each streamed to a private temp file); more get 503 with Retry-After. Results are rare beside other calls; 4 keeps the resident growth of a burst near 40 MiB.',
      ),
    OPERATOR_OIDC_ISSUER: z
      .string()
      .url()
      .optional()
      .describe("The municipality's OpenID Connect provider; set with the client id/secret to offer OIDC sign-in."),
    OPERATOR_OIDC_CLIENT_ID: z.string().min(1).optional(),
    OPERATOR_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OPERATOR_OIDC_REDIRECT_URI: z
      .string()
      .url()
      .optional()
      .describe(
        "Where the provider sends operators back: https://<operators' host>/operator/v1/oidc/callback (the operators' Ingress; the mutual TLS port serves no operator route).",
      ),
  })
  .superRefine((config, context) => {
    if ([config.GATEWAY_PORT, config.GATEWAY_TLS_PORT].includes(config.GATEWAY_MANAGEMENT_PORT)) {
      context.addIssue({
        code: 'custom',
        path: ['GATEWAY_MANAGEMENT_PORT'],
        message: 'must differ from GATEWAY_PORT and GATEWAY_TLS_PORT: metrics stay off the public ports',
      });
    }
    if (config.NODE_ENV === 'production' && config.DISTRICT_API_KEYS) {
      context.addIssue({
        code: 'custom',
        path: ['DISTRICT_API_KEYS'],
        message: 'API keys are a development option and are refused in production',
      });
    }
    if (config.NODE_ENV === 'production') {
      for (const name of [
        'GATEWAY_TLS_CERT_FILE',
        'GATEWAY_TLS_KEY_FILE',
        'GATEWAY_CLIENT_CA_FILE',
        'OAUTH_SIGNING_KEY_FILE',
      ] as const) {
        if (!config[name]) context.addIssue({ code: 'custom', path: [name], message: 'required in production' });
      }
    }
    if (config.NODE_ENV === 'production' && config.OPERATOR_OIDC_ISSUER && !config.OPERATOR_OIDC_REDIRECT_URI) {
      context.addIssue({
        code: 'custom',
        path: ['OPERATOR_OIDC_REDIRECT_URI'],
        message: 'required in production with OIDC: the public callback URL, not one made from HOST',
      });
    }
    const oidc = [config.OPERATOR_OIDC_ISSUER, config.OPERATOR_OIDC_CLIENT_ID, config.OPERATOR_OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      context.addIssue({
        code: 'custom',
        path: ['OPERATOR_OIDC_ISSUER'],
        message: 'OIDC needs OPERATOR_OIDC_ISSUER, OPERATOR_OIDC_CLIENT_ID and OPERATOR_OIDC_CLIENT_SECRET together',
      });
    }
  });

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export interface GatewayFiles {
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  clientCa: string | undefined;
  oauthSigningKey: string | undefined;
  oauthClients: string | undefined;
  /** The TLS files were named explicitly: then a missing file stops the boot. */
  tlsExplicit: boolean;
}

/** The files the gateway reads; outside production an unset one is in the PKI command's default folder. */
export function gatewayFiles(config: GatewayConfig): GatewayFiles {
  const fallback = (name: string) => (config.NODE_ENV === 'production' ? undefined : resolve(devPkiDir, name));
  return {
    tlsCert: config.GATEWAY_TLS_CERT_FILE ?? fallback('server.cert.pem'),
    tlsKey: config.GATEWAY_TLS_KEY_FILE ?? fallback('server.key.pem'),
    clientCa: config.GATEWAY_CLIENT_CA_FILE ?? fallback('ca.cert.pem'),
    oauthSigningKey: config.OAUTH_SIGNING_KEY_FILE ?? fallback('oauth-signing.key.pem'),
    oauthClients: config.OAUTH_CLIENTS_FILE ?? fallback('oauth-clients.json'),
    tlsExplicit: Boolean(config.GATEWAY_TLS_CERT_FILE),
  };
}

/** Whether the development credential (X-Api-Key) is accepted at all. */
export function apiKeysAllowed(config: GatewayConfig): boolean {
  return config.NODE_ENV === 'development' || config.NODE_ENV === 'test';
}

export function loadGatewayConfig(env?: Record<string, string | undefined>): GatewayConfig {
  const config = loadConfig(gatewayConfigSchema, env);
  refuseDevelopmentSecrets(config);
  return config;
}
