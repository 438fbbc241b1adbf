import { z } from 'zod';
import {
  commonConfigShape,
  loadConfig,
  portSchema,
  refuseDevelopmentSecrets,
  refuseSharedPorts,
  secretsKeySchema,
  serviceIdentityConfigShape,
} from '@umg/config';

const milliseconds = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The development secret of the payment system client; refused in production. */
export const developmentPaymentSystemSecret = 'dev-payment-system-secret-0000';

export const paymentsConfigSchema = z
  .object({
    ...commonConfigShape,
    ...serviceIdentityConfigShape,
    PAYMENTS_PORT: portSchema.default(3102).describe('HTTP port of the internal API.'),
    PAYMENTS_CALLBACK_PORT: portSchema
      .default(3122)
      .describe(
        'HTTP port of the public callback listener: only POST /v1/payment-notifications (what the payment system may reach).',
      ),
    PAYMENTS_MANAGEMENT_PORT: portSchema
      .default(3192)
      .describe('Port of /metrics and detailed readiness, for the monitoring network only (never published).'),
    PAYMENT_SYSTEM_URL: z
      .url()
      .default('http://127.0.0.1:3105')
      .describe('Base URL of the eGov payment system (pay.egov.bg) API, or of its simulator.'),
    PAYMENT_SYSTEM_CLIENT_ID: z
      .string()
      .min(1)
      .max(200)
      .default('sofia-umg-dev')
      .describe(
        'The municipality’s client id in the payment system (`clientId`): used for every district that has no client of its own in the registry.',
      ),
    PAYMENT_SYSTEM_SECRET: z
      .string()
      .min(16)
      .default(developmentPaymentSystemSecret)
      .describe(
        'The municipality client’s secret that keys the HMAC-SHA256 of requests and notifications. Only from the environment.',
      ),
    SECRETS_KEY: secretsKeySchema,
    PAYMENTS_CURRENCY: z
      .enum(['EUR', 'BGN'])
      .default('EUR')
      .describe(
        'Currency of payment requests: EUR since 1 January 2026; BGN where a deployment must still charge in lev. Fees in the other currency are converted at the fixed rate 1.95583.',
      ),
    PAYMENTS_NOTIFICATION_URL: z
      .url()
      .max(400)
      .default('http://127.0.0.1:3122/v1/payment-notifications')
      .describe(
        'Public URL of POST /v1/payment-notifications on the callback listener, sent as `AdministrativeServiceNotificationURL`.',
      ),
    PAYMENT_EXPIRATION_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(60)
      .default(7)
      .describe('Days a payment request stays payable (`ExpirationDate`).'),
    PAYMENT_SYSTEM_TIMEOUT_MS: milliseconds(100, 60_000)
      .default(5_000)
      .describe('Timeout of one call to the payment system.'),
    PAYMENTS_SEND_POLL_MS: milliseconds(50, 60_000)
      .default(1_000)
      .describe(
        'How often the outbound worker looks for due calls to the payment system while it cannot LISTEN for them (its notification connection is down).',
      ),
    PAYMENTS_WAKE_SAFETY_MS: milliseconds(100, 600_000)
      .default(15_000)
      .describe(
        'While queued calls wake the outbound worker (LISTEN/NOTIFY), how often it still looks for due calls: a safety net.',
      ),
    PAYMENTS_SEND_BACKOFF_BASE_MS: milliseconds(10, 600_000)
      .default(2_000)
      .describe('Base delay of the exponential backoff (with full jitter) between failed calls.'),
    PAYMENTS_SEND_BACKOFF_MAX_MS: milliseconds(100, 3_600_000)
      .default(300_000)
      .describe('Longest delay between two tries of a failed call.'),
    PAYMENTS_SEND_MAX_ATTEMPTS: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_000)
      .default(12)
      .describe(
        'Tries of one call to the payment system before it is given up: the request shows `send_failed` and an operator retries it.',
      ),
    PAYMENTS_UNAUTHORIZED_HOLD_MS: milliseconds(1_000, 86_400_000)
      .default(900_000)
      .describe(
        'After the payment system answers 401 for a client, how long its calls wait before one probes again (an operator fixing the secret releases them at once).',
      ),
    PAYMENTS_CONFIRMATION_MIN_INTERVAL_MS: milliseconds(0, 3_600_000)
      .default(30_000)
      .describe(
        'Least time between two status queries confirming unsigned notifications of one request (forged hints cannot make us flood the payment system).',
      ),
    PAYMENTS_BREAKER_FAILURES: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(5)
      .describe('Consecutive failed calls that open the circuit breaker to the payment system.'),
    PAYMENTS_BREAKER_RESET_MS: milliseconds(100, 600_000)
      .default(30_000)
      .describe('How long the breaker stays open before one call probes the payment system again.'),
    PAYMENTS_RECONCILIATION_INTERVAL_MS: milliseconds(1_000, 86_400_000)
      .default(900_000)
      .describe('How often reconciliation asks the payment system about requests stuck in a non-final status.'),
    PAYMENTS_RECONCILIATION_STALE_MS: milliseconds(0, 86_400_000)
      .default(600_000)
      .describe('A request is stuck when its status has not changed for this long.'),
  })
  .refine(
    (config) => config.NODE_ENV !== 'production' || config.PAYMENT_SYSTEM_SECRET !== developmentPaymentSystemSecret,
    { path: ['PAYMENT_SYSTEM_SECRET'], message: 'set the real client secret in production' },
  );

export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

export function loadPaymentsConfig(env?: Record<string, string | undefined>): PaymentsConfig {
  const config = loadConfig(paymentsConfigSchema, env);
  refuseDevelopmentSecrets(config);
  refuseSharedPorts(config, 'PAYMENTS_PORT', 'PAYMENTS_CALLBACK_PORT', 'PAYMENTS_MANAGEMENT_PORT');
  return config;
}
