import { SetMetadata } from '@nestjs/common';
import type { ServiceName } from './service-token';

export const CALLABLE_BY = 'umg:callable-by';
export const PLATFORM_ENDPOINT = 'umg:platform-endpoint';

/**
 * Which services may call a route (or every route of a controller; a route's own list wins).
 * The service-identity guard refuses every route that names no callers.
 */
export const CallableBy = (...services: [ServiceName, ...ServiceName[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(CALLABLE_BY, services);

/** The platform's own probes (health, metrics): scraped by the orchestrator, never by a service. */
export const PlatformEndpoint = (): ClassDecorator => SetMetadata(PLATFORM_ENDPOINT, true);
