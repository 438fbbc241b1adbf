/** The applications service's validated configuration. */
export const APPLICATIONS_CONFIG = Symbol('APPLICATIONS_CONFIG');
