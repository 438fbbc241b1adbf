/**
 * The only environment variables a profile's `credentialsRef` may name: a district's secret, never
 * NODE_ENV, SECRETS_KEY or any other setting of the process (the review's F1). The variable only
 * seeds the district's secret store at start-up when nothing is stored (demo and test districts);
 * pushes and answers are signed with the stored secret (secrets/district-secret-store.ts).
 */
export const districtSecretPattern = /^DISTRICT_SECRET_[A-Z0-9_]{1,64}$/;

/** The variable named by a profile, when it is one a district's secret may be seeded from. */
export function districtSecretVariable(credentialsRef: string | null | undefined): string | undefined {
  return credentialsRef && districtSecretPattern.test(credentialsRef) ? credentialsRef : undefined;
}
