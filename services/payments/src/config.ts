import { z } from 'zod';
import { commonConfigShape, loadConfig, portSchema, refuseDevelopmentSecrets } from '@umg/config';

export const paymentsConfigSchema = z.object({
  ...commonConfigShape,
  PAYMENTS_PORT: portSchema.default(3102).describe('HTTP port of the internal API.'),
});

export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

export function loadPaymentsConfig(env?: Record<string, string | undefined>): PaymentsConfig {
  const config = loadConfig(paymentsConfigSchema, env);
  refuseDevelopmentSecrets(config);
  return config;
}
