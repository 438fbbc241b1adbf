import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { type ProfileFields, profileFieldsSchema } from './profile-changes';

const profilesFileSchema = z.object({ districts: z.record(z.string(), profileFieldsSchema) });

/** Replaces `${NAME}` with the environment's value; a missing variable is a configuration error. */
function expand(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) throw new Error(`the profiles file uses \${${name}}, which is not set`);
    return value;
  });
}

/**
 * Reads the back-office profiles file: per district code, the adapter style, endpoint, credentials
 * reference and SOAP mapping. Onboarding a district of a known style is an entry here (or the
 * same change through the operator API), not code.
 */
export function readProfilesFile(
  path: string,
  env: Record<string, string | undefined> = process.env,
): Record<string, ProfileFields> {
  const parsed = profilesFileSchema.safeParse(parse(expand(readFileSync(path, 'utf8'), env)));
  if (!parsed.success) throw new Error(`profiles file ${path} is not valid: ${parsed.error.message}`);
  return parsed.data.districts;
}
