import type { z } from 'zod';
import { ConfigError } from './config-error';

/**
 * Parses the environment with a zod schema. A bad value stops the process at boot with every
 * problem listed at once, instead of failing later on first use.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
}
