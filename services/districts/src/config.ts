import { z } from 'zod';
import {
  commaSeparated,
  commonConfigShape,
  ConfigError,
  loadConfig,
  portSchema,
  refuseDevelopmentSecrets,
  refuseSharedPorts,
  secretsKeySchema,
  serviceIdentityConfigShape,
} from '@umg/config';
import { readDistrictSecretKeyring } from './secrets/district-secret-keyring';

const milliseconds = (fallback: number, min = 10, max = 3_600_000) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const hostList = commaSeparated('');

export const districtsConfigSchema = z.object({
  ...commonConfigShape,
  ...serviceIdentityConfigShape,
  DISTRICTS_PORT: portSchema.default(3104).describe('HTTP port of the internal API.'),
  DISTRICTS_CALLBACK_PORT: portSchema
    .default(3124)
    .describe(
      'HTTP port of the public callback listener: only POST /back-office/{districtCode}/decisions (what back offices may reach).',
    ),
  DISTRICTS_MANAGEMENT_PORT: portSchema
    .default(3194)
    .describe('Port of /metrics and detailed readiness, for the monitoring network only (never published).'),
  SECRETS_KEY: secretsKeySchema,
  DISTRICTS_PUBLIC_URL: z
    .url()
    .optional()
    .describe(
      'Public base URL of the callback listener, where back offices send asynchronous answers; defaults to http://HOST:DISTRICTS_CALLBACK_PORT.',
    ),
  DISTRICT_PROFILES_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'YAML file of back-office profiles (style, endpoint, credentials reference, SOAP mapping) applied when a district is first seeded; ${VAR} in values is read from the environment.',
    ),
  PUSH_TIMEOUT_MS: milliseconds(10_000).describe('Timeout of one push to a back office.'),
  PUSH_MAX_ANSWER_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    // An answer may carry a result document of up to 10 MiB, base64 in JSON (about 13.4 MiB).
    .default(15 * 1024 * 1024)
    .describe('Largest answer read from a back office; a longer one is cut off and the push parked.'),
  PUSH_SIGNING_KEYS_DIR: z
    .string()
    .min(1)
    .default('.data/back-office-credentials')
    .describe(
      'Directory (a mounted secret) with the keys and certificates SOAP pushes are signed with (WS-Security X.509), `<keyRef>.key.pem` and `<keyRef>.crt.pem`, named by a SOAP mapping’s `security.x509.keyRef`.',
    ),
  PUSH_PRIVATE_HOSTS: hostList.describe(
    'Comma-separated back-office hosts (as written in their endpoints) that may resolve to private, loopback or link-local addresses; every other endpoint must resolve to public addresses only.',
  ),
  PUSH_HTTP_HOSTS: hostList.describe(
    'Comma-separated back-office hosts that may be called over plain http (development and test only; refused in production).',
  ),
  PUSH_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(50)
    .describe('Failed attempts after which a push is parked for an operator.'),
  PUSH_BACKOFF_BASE_MS: milliseconds(1_000).describe('First retry delay (exponential, full jitter).'),
  PUSH_BACKOFF_MAX_MS: milliseconds(300_000).describe('Longest retry delay.'),
  PUSH_POLL_INTERVAL_MS: milliseconds(500, 50, 60_000).describe('How often the worker looks for due pushes.'),
  PUSH_CIRCUIT_RESET_MS: milliseconds(30_000).describe('How long a district’s open circuit waits before one probe.'),
  PUSH_CIRCUIT_VOLUME_THRESHOLD: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(5)
    .describe('Failures in the rolling window before a district’s circuit may open.'),
  CONFORMANCE_SANDBOX_TIMEOUT_MS: milliseconds(86_400_000, 1_000, 7 * 86_400_000).describe(
    'How long a pull district’s client has to finish the conformance sandbox script.',
  ),
  DISTRICT_SECRETS_KEYRING_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'File of the keys that seal district HMAC secrets at rest, one `<key id> <key of 32+ characters>` per line; the first seals, the others still open (rotate the key by adding a new first line). Required in production; outside it a development key is used.',
    ),
  DISTRICT_SECRET_CACHE_MS: milliseconds(2_000, 0, 60_000).describe(
    'How long an instance reuses a district secret it read; a rotation takes effect on every instance within this time.',
  ),
  DISTRICT_SECRET_GRACE_MS: milliseconds(600_000, 0, 7 * 86_400_000).describe(
    'How long after a rotation the previous secret still verifies answers from the back office (outbound pushes use the new one at once).',
  ),
  CONFORMANCE_EXPIRY_CHECK_MS: milliseconds(10_000, 100, 3_600_000).describe(
    'How often running conformance runs are checked for expiry.',
  ),
});

export type DistrictsConfig = z.infer<typeof districtsConfigSchema>;

/** Plain http to a back office carries ЕГН in clear: a development and test option only. */
function refuseHttpPushInProduction(config: DistrictsConfig): void {
  if (config.NODE_ENV === 'production' && config.PUSH_HTTP_HOSTS.length > 0) {
    throw new ConfigError(['PUSH_HTTP_HOSTS: plain http pushes are refused in production']);
  }
}

export function loadDistrictsConfig(env?: Record<string, string | undefined>): DistrictsConfig {
  const config = loadConfig(districtsConfigSchema, env);
  refuseDevelopmentSecrets(config);
  refuseSharedPorts(config, 'DISTRICTS_PORT', 'DISTRICTS_CALLBACK_PORT', 'DISTRICTS_MANAGEMENT_PORT');
  refuseHttpPushInProduction(config);
  // Read once here so a missing, malformed or development keyring stops the boot.
  readDistrictSecretKeyring(config);
  return config;
}
