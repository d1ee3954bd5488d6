/**
 * The route a request matched, as a template (`/v1/cases/:caseNumber/identification`): what
 * metric labels and span names carry instead of the path, which holds case numbers and IDs.
 */
import type { Request } from 'express';

/** Requests no route matched (404s, the API docs' static files). */
const UNMATCHED = 'unmatched';

export function routeTemplate(req: Request): string {
  const routePath: unknown = req.route?.path;
  if (typeof routePath !== 'string') return UNMATCHED;
  // Express resets req.baseUrl when an error leaves the router, so the mount point is read off the
  // path itself: the route's own segments are the last ones (the API's routes have no wildcards).
  const own = routePath.split('/').filter(Boolean);
  const path = (req.originalUrl.split('?')[0] ?? '').split('/').filter(Boolean);
  // Lower case: routing ignores case, and labels must not multiply by a caller's spelling.
  const mount = path.slice(0, Math.max(0, path.length - own.length)).map((segment) => segment.toLowerCase());
  return `/${[...mount, ...own].join('/')}`;
}
