import { SetMetadata } from '@nestjs/common';

/** Metadata key marking a controller or route as a public callback of a state system or back office. */
export const PUBLIC_CALLBACK = 'umg:public-callback';

/**
 * Marks a route called from outside the cluster by a party that authenticates in its own way
 * (an HMAC of the payment system or of a back office), not by a service identity. Such routes are
 * the only ones served on a service's public callback listener, and the only internal-port routes
 * that need no service token.
 */
export const PublicCallback = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_CALLBACK, true);
