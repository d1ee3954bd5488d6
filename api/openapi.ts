/** The OpenAPI document, generated from the same zod schemas that validate requests; the routes are documented per resource in api/openapi/. */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { alertRoutes } from './openapi/alerts.js';
import { calendarRoutes } from './openapi/calendars.js';
import { caseRoutes } from './openapi/cases.js';
import { RETRY_AFTER, unavailable } from './openapi/common.js';
import { peopleRoutes } from './openapi/people.js';
import { sessionRoutes } from './openapi/session.js';
import { slaPolicyRoutes } from './openapi/sla-policies.js';
import { statsRoutes } from './openapi/stats.js';
import { uptRoutes } from './openapi/upts.js';
import { webhookRoutes } from './openapi/webhooks.js';

export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'Agency API key from `npm run agency -- add`',
  });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'ppks_session',
    description:
      'A person signed in (POST /v1/session). State-changing requests also need the Origin header of an allowed origin and X-CSRF-Token',
  });
  const routes: RouteConfig[] = [
    ...caseRoutes,
    ...alertRoutes,
    ...statsRoutes,
    ...uptRoutes,
    ...slaPolicyRoutes,
    ...calendarRoutes,
    ...webhookRoutes,
    ...peopleRoutes,
  ];
  for (const route of routes) registry.registerPath({ ...route, security: [{ apiKey: [] }, { session: [] }] });
  for (const route of sessionRoutes) registry.registerPath(route);
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    operationId: 'liveness',
    summary: 'Liveness',
    responses: { 200: { description: 'Up' }, 503: unavailable },
  });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    summary: 'Readiness: Temporal and PostgreSQL reachable',
    responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready (or shutting down)', headers: RETRY_AFTER } },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'PPKS case service — agency API',
      version: '1.0.0',
      description:
        'Dinas Sosial Jawa Timur and partner agencies: cases of people in need of social-welfare services (PPKS). Errors are application/problem+json (RFC 9457).',
    },
  });
}
