import { z } from 'zod';
import { commonConfigShape, loadConfig, portSchema, refuseDevelopmentSecrets } from '@umg/config';

export const deliveryConfigSchema = z.object({
  ...commonConfigShape,
  DELIVERY_PORT: portSchema.default(3103).describe('HTTP port of the internal API.'),
});

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;

export function loadDeliveryConfig(env?: Record<string, string | undefined>): DeliveryConfig {
  const config = loadConfig(deliveryConfigSchema, env);
  refuseDevelopmentSecrets(config);
  return config;
}
