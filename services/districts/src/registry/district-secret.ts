/**
 * The only environment variables a profile's `credentialsRef` may name: a district's secret, never
 * NODE_ENV, SECRETS_KEY or any other setting of the process (the review's F1).
 */
export const districtSecretPattern = /^DISTRICT_SECRET_[A-Z0-9_]{1,64}$/;

/** The district's HMAC secret named by its profile; nothing for a name outside the prefix. */
export function districtSecret(credentialsRef: string | null | undefined): string | undefined {
  if (!credentialsRef || !districtSecretPattern.test(credentialsRef)) return undefined;
  return process.env[credentialsRef];
}
