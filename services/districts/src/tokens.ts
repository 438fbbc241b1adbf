/** The validated DistrictsConfig. */
export const DISTRICTS_CONFIG = Symbol('DISTRICTS_CONFIG');
/** Back-office profiles from the profiles file, by district code. */
export const DISTRICT_PROFILES = Symbol('DISTRICT_PROFILES');
/** The keyring sealing district secrets (secrets/district-secret-keyring.ts). */
export const DISTRICT_SECRET_KEYRING = Symbol('DISTRICT_SECRET_KEYRING');
