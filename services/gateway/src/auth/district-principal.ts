/** Who is calling the district API: a district's back-office system. */
export interface DistrictPrincipal {
  districtCode: string;
  /** Identifies the credential, for the timeline and the exchange log; never the secret. */
  clientId: string;
}
