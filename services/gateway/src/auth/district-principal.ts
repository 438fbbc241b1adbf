import type { DistrictScope } from './district-scope';

/** Which credential authenticated a district system. */
export type DistrictCredential = 'certificate' | 'token' | 'api-key';

/** Who is calling the district API: a district's back-office system. */
export interface DistrictPrincipal {
  districtCode: string;
  /**
   * Identifies the credential, for the timeline and the exchange log; never the secret:
   * `<district>:certificate:<serial>`, `<district>:token:<oauth client id>` or `<district>:api-key:<digest>`.
   */
  clientId: string;
  credential: DistrictCredential;
  /** What the credential may do; certificates and development keys hold every district scope. */
  scopes: readonly DistrictScope[];
}
