import { randomUUID } from 'node:crypto';
import type { Urgency } from '@umg/catalogue';
import type { ScriptName } from './invariants';

export type AdapterStyle = 'pull' | 'push_json' | 'push_soap';

/** The districts the run files into: the four pilots (pull) and the two push demo districts. */
export const chaosDistricts: { code: string; style: AdapterStyle; weight: number }[] = [
  { code: 'serdika', style: 'pull', weight: 2 },
  { code: 'triaditsa', style: 'pull', weight: 2 },
  { code: 'nadezhda', style: 'pull', weight: 2 },
  { code: 'bankya', style: 'pull', weight: 2 },
  { code: 'sredets', style: 'push_json', weight: 2 },
  { code: 'oborishte', style: 'push_soap', weight: 2 },
];

/** Services with a fee (at the urgencies given) and without; the push districts get these enabled. */
const feeServices: { serviceNumber: number; urgency: Urgency }[] = [
  { serviceNumber: 2016, urgency: 'regular' },
  { serviceNumber: 2016, urgency: 'express' },
  { serviceNumber: 2079, urgency: 'regular' },
  { serviceNumber: 2083, urgency: 'fast' },
];
const freeServices: { serviceNumber: number; urgency: Urgency }[] = [
  { serviceNumber: 2052, urgency: 'regular' },
  // 2019's term is not in the catalogue (a catalogue gap), so it cannot be enabled for the push districts.
  { serviceNumber: 2033, urgency: 'regular' },
];
export const chaosServiceNumbers = [...new Set([...feeServices, ...freeServices].map((s) => s.serviceNumber))];

/** How often each script occurs, out of 20. */
const scriptMix: [ScriptName, number][] = [
  ['delivered', 9],
  ['refused', 3],
  ['withdrawn', 3],
  ['expired', 2],
  ['repaid', 2],
  ['collection', 1],
];

export interface PlannedApplication {
  portalApplicationId: string;
  /** The portal's message id: a retried publication is the same message. */
  messageId: string;
  districtCode: string;
  style: AdapterStyle;
  serviceNumber: number;
  urgency: Urgency;
  script: ScriptName;
  /** Where a withdrawal comes: while the district has not registered it, or while payment is awaited. */
  withdrawAt: 'routed' | 'awaiting_payment';
  /** An e-delivery profile id; `none-…` has no profile (the collection script). */
  eDeliveryProfileId: string;
}

/** A deterministic mix of districts, services and scripts for `count` applications. */
export function planApplications(count: number): PlannedApplication[] {
  const districts = chaosDistricts.flatMap((district) => Array<typeof district>(district.weight).fill(district));
  const scripts = scriptMix.flatMap(([script, weight]) => Array<ScriptName>(weight).fill(script));
  return Array.from({ length: count }, (_, index) => {
    const district = districts[index % districts.length]!;
    const script = scripts[(index * 7) % scripts.length]!;
    // Withdrawals, expiries and second payments need a fee; the others take any service.
    const needsFee = script === 'withdrawn' || script === 'expired' || script === 'repaid';
    const pool = needsFee || index % 3 !== 0 ? feeServices : freeServices;
    const service = pool[Math.floor(index / districts.length) % pool.length]!;
    return {
      portalApplicationId: `EGOV-CHAOS-${randomUUID()}`,
      messageId: randomUUID(),
      districtCode: district.code,
      style: district.style,
      ...service,
      script,
      withdrawAt: district.style === 'pull' && index % 2 === 0 ? 'routed' : 'awaiting_payment',
      eDeliveryProfileId: randomUUID(),
    };
  });
}
