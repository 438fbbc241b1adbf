import { createHash, timingSafeEqual } from 'node:crypto';
import { districts } from '@umg/catalogue';
import { apiKeysAllowed, type GatewayConfig } from '../config';
import type { DistrictPrincipal } from './district-principal';
import { districtScopes } from './district-scope';

const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * Development API keys of the districts (accepted only in development and test). Only digests are
 * kept, and a presented key is compared in constant time against each, so neither timing nor memory
 * gives keys away.
 */
export class DistrictApiKeys {
  private readonly entries: { digest: Buffer; principal: DistrictPrincipal }[];

  constructor(config: GatewayConfig) {
    const pairs = !apiKeysAllowed(config)
      ? []
      : (config.DISTRICT_API_KEYS ??
        (config.NODE_ENV === 'development'
          ? districts.map((district) => ({ districtCode: district.code, key: `dev-key-${district.code}-0000` }))
          : []));
    this.entries = pairs.map(({ districtCode, key }) => ({
      digest: digest(key),
      principal: {
        districtCode,
        clientId: `${districtCode}:api-key:${digest(key).toString('hex').slice(0, 8)}`,
        credential: 'api-key',
        scopes: districtScopes,
      },
    }));
  }

  get enabled(): boolean {
    return this.entries.length > 0;
  }

  resolve(presented: string): DistrictPrincipal | undefined {
    const candidate = digest(presented);
    let found: DistrictPrincipal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, candidate)) found = entry.principal;
    }
    return found;
  }
}
