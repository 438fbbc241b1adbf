import { z } from 'zod';
import { commonConfigShape, loadConfig, portSchema, refuseDevelopmentSecrets } from '@umg/config';

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

export const gatewayConfigSchema = z
  .object({
    ...commonConfigShape,
    GATEWAY_PORT: portSchema.default(3000).describe('HTTP port of the public district API and console.'),
    APPLICATIONS_URL: z
      .string()
      .url()
      .default('http://127.0.0.1:3101')
      .describe('Base URL of the applications service’s internal API.'),
    DISTRICT_API_KEYS: apiKeyList
      .optional()
      .describe('Development-only API keys per district; in development every district gets dev-key-<code>-0000.'),
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    GATEWAY_RATE_LIMIT_PER_SECOND: z.coerce
      .number()
      .min(0.1)
      .max(100_000)
      .default(20)
      .describe('Steady request rate allowed per district (per gateway instance).'),
    GATEWAY_RATE_LIMIT_BURST: z.coerce
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(60)
      .describe('Requests a district may send at once above the steady rate.'),
  })
  .superRefine((config, context) => {
    if (config.NODE_ENV === 'production' && config.DISTRICT_API_KEYS) {
      context.addIssue({
        code: 'custom',
        path: ['DISTRICT_API_KEYS'],
        message: 'API keys are a development option and are refused in production',
      });
    }
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env?: Record<string, string | undefined>): GatewayConfig {
  const config = loadConfig(gatewayConfigSchema, env);
  refuseDevelopmentSecrets(config);
  return config;
}
