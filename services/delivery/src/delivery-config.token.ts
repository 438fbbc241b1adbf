/** Injection token of the delivery service's validated config. */
export const DELIVERY_CONFIG = Symbol('DELIVERY_CONFIG');
