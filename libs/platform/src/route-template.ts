import type { Request } from 'express';

/** The matched route template of a request (e.g. `/v1/applications/:applicationId`), never the raw path. */
export function routeTemplate(request: Request): string {
  const route = (request as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${request.baseUrl ?? ''}${route.path}`;
  // Unmatched requests (404s, static files) are folded together: their paths are arbitrary.
  return 'unmatched';
}
