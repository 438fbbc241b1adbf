import { z } from 'zod';
import { commonConfigShape, loadConfig, portSchema, refuseDevelopmentSecrets } from '@umg/config';

export const districtsConfigSchema = z.object({
  ...commonConfigShape,
  DISTRICTS_PORT: portSchema.default(3104).describe('HTTP port of the internal API.'),
});

export type DistrictsConfig = z.infer<typeof districtsConfigSchema>;

export function loadDistrictsConfig(env?: Record<string, string | undefined>): DistrictsConfig {
  const config = loadConfig(districtsConfigSchema, env);
  refuseDevelopmentSecrets(config);
  return config;
}
