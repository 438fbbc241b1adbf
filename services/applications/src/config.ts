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

export const applicationsConfigSchema = z.object({
  ...commonConfigShape,
  ...serviceIdentityConfigShape,
  APPLICATIONS_PORT: portSchema.default(3101).describe('HTTP port of the internal API.'),
  APPLICATIONS_MANAGEMENT_PORT: portSchema
    .default(3191)
    .describe('Port of /metrics and detailed readiness, for the monitoring network only (never published).'),
  APPLICATIONS_CONSUMER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(12)
    .default(3)
    .describe('Partitions consumed concurrently by this instance.'),
  APPLICATIONS_OVERDUE_CHECK_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(500)
    .max(3_600_000)
    .default(60_000)
    .describe('How often open applications are checked against their due time.'),
  DISTRICTS_URL: z
    .string()
    .url()
    .default('http://127.0.0.1:3104')
    .describe('Base URL of the districts service’s internal API (result documents push districts answered with).'),
  DISTRICTS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(15_000)
    .describe('Deadline of one result document download from the districts service.'),
  FEEDBACK_TOKEN_SECRET: feedbackTokenSecretSchema,
  FEEDBACK_VALID_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe('How many days after a result is delivered the applicant may still answer its feedback link.'),
});

export type ApplicationsConfig = z.infer<typeof applicationsConfigSchema>;

export function loadApplicationsConfig(env?: Record<string, string | undefined>): ApplicationsConfig {
  const config = loadConfig(applicationsConfigSchema, env);
  refuseDevelopmentSecrets(config);
  refuseDevelopmentFeedbackTokenSecret(config);
  refuseSharedPorts(config, 'APPLICATIONS_PORT', 'APPLICATIONS_MANAGEMENT_PORT');
  return config;
}
