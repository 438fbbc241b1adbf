import { z } from 'zod';
import {
  commonConfigShape,
  feedbackTokenSecretSchema,
  loadConfig,
  portSchema,
  refuseDevelopmentFeedbackTokenSecret,
  refuseDevelopmentSecrets,
  refuseSharedPorts,
  serviceIdentityConfigShape,
} from '@umg/config';

const milliseconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const deliveryConfigSchema = z
  .object({
    ...commonConfigShape,
    ...serviceIdentityConfigShape,
    DELIVERY_PORT: portSchema.default(3103).describe('HTTP port of the internal API.'),
    DELIVERY_MANAGEMENT_PORT: portSchema
      .default(3193)
      .describe('Port of /metrics and detailed readiness, for the monitoring network only (never published).'),
    E_DELIVERY_URL: z
      .string()
      .url()
      .default('http://127.0.0.1:3106')
      .describe(
        'Address of e-delivery’s (ССЕВ) SOAP integration service (production: https://edelivery.egov.bg/Services/EDeliveryIntegrationService.svc).',
      ),
    E_DELIVERY_CREDENTIALS_DIR: z
      .string()
      .min(1)
      .default('.data/e-delivery-credentials')
      .describe(
        'Directory (a mounted secret) with the WS-Security signing keys and certificates, `<name>.key.pem` and `<name>.crt.pem`, named by each district’s register entry (`signingKeyRef`); `default.*` serves districts the register gives no e-delivery identity. The certificate’s thumbprint is registered with ССЕВ.',
      ),
    E_DELIVERY_TIMEOUT_MS: milliseconds(100, 120_000, 10_000).describe('Deadline of one call to e-delivery.'),
    E_DELIVERY_BREAKER_RESET_MS: milliseconds(100, 600_000, 30_000).describe(
      'How long the circuit breaker stays open after e-delivery kept failing, before one trial call.',
    ),
    E_DELIVERY_REGISTRATION_CACHE_MS: milliseconds(0, 3_600_000, 600_000).describe(
      'How long a recipient found to have an e-delivery profile (CheckSubjectHasRegistration) is not asked again; 0 asks before every send. Recipients without a profile are never remembered.',
    ),
    DISTRICTS_URL: z
      .string()
      .url()
      .default('http://127.0.0.1:3104')
      .describe(
        'Base URL of the districts service’s internal API (the register: e-delivery identities, intake districts).',
      ),
    E_DELIVERY_INBOX_POLL_MS: milliseconds(100, 3_600_000, 10_000).describe(
      'How often each district’s e-delivery inbox is asked for new messages.',
    ),
    E_DELIVERY_INBOX_LEASE_MS: milliseconds(1_000, 3_600_000, 60_000).describe(
      'How long an instance holds a message it is opening; one that died leaves it to another after this.',
    ),
    E_DELIVERY_OPEN_MAX_ATTEMPTS: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_000)
      .default(10)
      .describe(
        'Tries to open a received message before it is parked for an operator (e-delivery keeps failing on it).',
      ),
    APPLICATIONS_URL: z
      .string()
      .url()
      .default('http://127.0.0.1:3101')
      .describe('Base URL of the applications service’s internal API (documents to deliver).'),
    APPLICATIONS_TIMEOUT_MS: milliseconds(100, 120_000, 15_000).describe('Deadline of one document download.'),
    DELIVERY_SENDER_NAME: z
      .string()
      .min(1)
      .default('Столична община')
      .describe('Name the messages are sent under, followed by the district’s name.'),
    FEEDBACK_PUBLIC_URL: z
      .string()
      .url()
      .default('http://127.0.0.1:3000')
      .describe(
        'Public address of the gateway the applicant reaches (https in production); the result notice links to <this>/feedback/<token>.',
      ),
    FEEDBACK_TOKEN_SECRET: feedbackTokenSecretSchema,
    DELIVERY_RECEIPT_TIMEOUT_MS: milliseconds(1_000, 90 * 24 * 3600 * 1000, 14 * 24 * 3600 * 1000).describe(
      'How long after sending a message without a receipt counts as not delivered (collection at the desk).',
    ),
    DELIVERY_RECEIPT_POLL_MS: milliseconds(100, 24 * 3600 * 1000, 60_000).describe(
      'First wait before asking for a sent message’s receipt; later waits grow (half the time since sending) up to DELIVERY_RECEIPT_POLL_MAX_MS.',
    ),
    DELIVERY_RECEIPT_POLL_MAX_MS: milliseconds(100, 24 * 3600 * 1000, 15 * 60_000).describe(
      'Longest wait between two receipt checks of a sent message (the waits grow from DELIVERY_RECEIPT_POLL_MS).',
    ),
    DELIVERY_POLL_INTERVAL_MS: milliseconds(50, 60_000, 1_000).describe(
      'How often the worker looks for deliveries that are due while it cannot LISTEN for them (its notification connection is down).',
    ),
    DELIVERY_WAKE_SAFETY_MS: milliseconds(100, 600_000, 15_000).describe(
      'While new deliveries wake the worker (LISTEN/NOTIFY), how often it still looks for due ones: a safety net.',
    ),
    DELIVERY_BATCH_SIZE: z.coerce
      .number()
      .int()
      .min(1)
      .max(200)
      .default(10)
      .describe('Deliveries one worker claims and works at a time.'),
    DELIVERY_LEASE_MS: milliseconds(1_000, 3_600_000, 120_000).describe(
      'How long a claimed delivery is reserved for its worker; a worker that died leaves it to others after this.',
    ),
    DELIVERY_RETRY_BASE_MS: milliseconds(10, 3_600_000, 5_000).describe('First retry delay (doubles, with jitter).'),
    DELIVERY_RETRY_MAX_MS: milliseconds(10, 24 * 3600 * 1000, 15 * 60_000).describe('Longest retry delay.'),
    DELIVERY_MAX_ATTEMPTS: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_000)
      .default(50)
      .describe('Failed calls after which a delivery is given up (send_failure).'),
  })
  .refine((config) => config.DELIVERY_RETRY_BASE_MS <= config.DELIVERY_RETRY_MAX_MS, {
    path: ['DELIVERY_RETRY_BASE_MS'],
    message: 'must not be greater than DELIVERY_RETRY_MAX_MS',
  });

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;

export function loadDeliveryConfig(env?: Record<string, string | undefined>): DeliveryConfig {
  const config = loadConfig(deliveryConfigSchema, env);
  refuseDevelopmentSecrets(config);
  refuseDevelopmentFeedbackTokenSecret(config);
  refuseSharedPorts(config, 'DELIVERY_PORT', 'DELIVERY_MANAGEMENT_PORT');
  return config;
}
