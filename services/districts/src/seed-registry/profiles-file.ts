import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { type ProfilesFileEntry, profilesFileEntrySchema } from '../district/profile-changes';

const profilesFileSchema = z.object({ districts: z.record(z.string(), profilesFileEntrySchema) });

/** Replaces `${NAME}` in every string value with the environment's value; a missing variable is a configuration error. */
function expand(node: unknown, env: Record<string, string | undefined>): unknown {
  if (Array.isArray(node)) return node.map((item) => expand(item, env));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, expand(value, env)]));
  }
  if (typeof node !== 'string') return node;
  return node.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) throw new Error(`the profiles file uses \${${name}}, which is not set`);
    return value;
  });
}

/**
 * Reads the back-office profiles file: per district code, the adapter style, endpoint, credentials
 * reference and SOAP mapping, and the district's e-delivery identity. Onboarding a district of a known style is an entry here (or the
 * same change through the operator API), not code.
 */
export function readProfilesFile(
  path: string,
  env: Record<string, string | undefined> = process.env,
): Record<string, ProfilesFileEntry> {
  const parsed = profilesFileSchema.safeParse(expand(parse(readFileSync(path, 'utf8')), env));
  if (!parsed.success) throw new Error(`profiles file ${path} is not valid: ${parsed.error.message}`);
  return parsed.data.districts;
}
