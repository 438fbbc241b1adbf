import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { findDistrict } from '@umg/catalogue';
import type { OAuthClient } from '../../services/gateway/src/auth/oauth-clients';
import type { DistrictScope } from '../../services/gateway/src/auth/district-scope';
import { hashSecret } from '../../services/gateway/src/auth/secret-hash';

/**
 * Adds (or replaces) an OAuth client in the clients file and returns its secret, which is shown
 * once and stored nowhere: the file holds only its scrypt hash.
 */
export async function addOAuthClient(
  file: string,
  client: { clientId: string; districtCode: string; scopes: DistrictScope[] },
): Promise<string> {
  if (!findDistrict(client.districtCode)) throw new Error(`unknown district ${client.districtCode}`);
  const secret = randomBytes(32).toString('base64url');
  const clients = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as OAuthClient[]) : [];
  const entry: OAuthClient = { ...client, secretHash: await hashSecret(secret) };
  const next = [...clients.filter((existing) => existing.clientId !== client.clientId), entry];
  // Written whole and renamed, so the gateway never reads half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return secret;
}
