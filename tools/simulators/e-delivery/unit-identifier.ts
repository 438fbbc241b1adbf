import { findDistrict } from '@umg/catalogue';

/**
 * The simulated 13-digit unit identifier (a unit's BULSTAT) of a district's e-delivery profile:
 * Sofia Municipality's BULSTAT 000696327 and the district's number, as in tools/dev/district-profiles.yaml.
 * The real ones are not in any public source: in production they are configuration (the registry).
 */
export function simulatedUnitIdentifier(districtCode: string): string {
  const district = findDistrict(districtCode);
  if (!district) throw new Error(`no district ${districtCode}`);
  return `000696327${String(district.no).padStart(4, '0')}`;
}
