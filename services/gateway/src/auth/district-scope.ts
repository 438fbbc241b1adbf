import { SetMetadata } from '@nestjs/common';

/** The OAuth2 scopes of the district API. */
export const districtScopes = ['applications:read', 'applications:write'] as const;
export type DistrictScope = (typeof districtScopes)[number];

export const REQUIRED_SCOPE = 'umg:required-district-scope';

/** The scope a district-API route needs; checked by DistrictAuthGuard for every credential. */
export const RequireScope = (scope: DistrictScope) => SetMetadata(REQUIRED_SCOPE, scope);

export function isDistrictScope(value: string): value is DistrictScope {
  return (districtScopes as readonly string[]).includes(value);
}
