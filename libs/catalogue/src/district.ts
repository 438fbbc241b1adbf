import reference from '../data/sofia-districts.json';

/** One of Sofia Municipality's 24 district administrations (райони). */
export interface District {
  /** Stable lower-case code used in URLs, topics and credentials, e.g. `serdika`. */
  code: string;
  /** Official number, 1–24. */
  no: number;
  nameBg: string;
  nameEn: string;
  /** One of the four districts live with the Unified Model since June 2020. */
  pilot: boolean;
}

export function districtCodeOf(nameEn: string): string {
  return nameEn
    .toLowerCase()
    .replace(/[^a-z]+/g, '-')
    .replace(/^-|-$/g, '');
}

export const districts: readonly District[] = reference.districts.map((district) => ({
  code: districtCodeOf(district.name_en),
  no: district.no,
  nameBg: district.name_bg,
  nameEn: district.name_en,
  pilot: district.pilot,
}));

const byCode = new Map(districts.map((district) => [district.code, district]));

export function findDistrict(code: string): District | undefined {
  return byCode.get(code);
}
