import { SetMetadata } from '@nestjs/common';

/** Metadata key marking a route the gateway also serves on its internet-facing (mutual TLS) listener. */
export const INTERNET_FACING = 'umg:internet-facing';

/**
 * Marks a route served on the gateway's internet-facing listener as well as on its main port: the
 * district API, `/oauth/token`, open data and `/health/live`. Every other route (the operator API,
 * the console, readiness) is answered there as an unknown route.
 */
export const InternetFacing = (): MethodDecorator & ClassDecorator => SetMetadata(INTERNET_FACING, true);
