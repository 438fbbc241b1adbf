import { findDistrict } from '@umg/catalogue';

declare const districtScopeBrand: unique symbol;

/**
 * The district a caller acts for. Every read and write of applications takes one, so a query
 * that forgets the district does not compile.
 */
export type DistrictScope = { readonly districtCode: string } & { readonly [districtScopeBrand]: true };

/** Only known districts make a scope; anything else is treated as "no such application". */
export function districtScope(districtCode: string): DistrictScope | undefined {
  return findDistrict(districtCode) ? ({ districtCode } as DistrictScope) : undefined;
}
