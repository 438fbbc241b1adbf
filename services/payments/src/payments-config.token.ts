/** The payments service's validated config. */
export const PAYMENTS_CONFIG = Symbol('PAYMENTS_CONFIG');
