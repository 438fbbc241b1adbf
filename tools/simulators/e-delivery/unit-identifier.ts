import { createHash } from 'node:crypto';

/**
 * The simulated 13-digit unit identifier (BULSTAT of a unit) of a district's e-delivery profile.
 * The real ones are not in any public source: in production they are configuration.
 */
export function simulatedUnitIdentifier(districtCode: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(districtCode).digest('hex').slice(0, 12)}`) % 10_000n;
  return `000696327${String(digits).padStart(4, '0')}`;
}
