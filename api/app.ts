/** The agency API as an Express app: auth, routers per resource, problem+json, OpenAPI. */
import path from 'node:path';
import express from 'express';
import type { Client } from '@temporalio/client';
import swaggerUi from 'swagger-ui-express';
import type { Pool } from '../db/pool.js';
import { config, projectRoot } from '../config.js';
import { loadMatchKey } from '../encryption/match-key.js';
import { hashKeyring } from './request-hash.js';
import { httpMetrics } from '../observability/api-metrics.js';
import { traceRequests } from '../observability/tracing.js';
import { authFailureLimiter, configuredAuthFailureLimits, type AuthFailureLimits } from './auth-failures.js';
import { apiKeyCredential, authenticate } from './auth.js';
import { consolePages } from './console-pages.js';
import { Draining } from './draining.js';
import { openApiDocument } from './openapi.js';
import { configuredSessionSettings, type SessionSettings } from './sessions.js';
import { sessionRoutes, signInRoutes } from './routes/session.js';
import { oidcRoutes } from './routes/oidc.js';
import { configuredSsoSettings, ssoClient, type SsoClient } from './oidc.js';
import { totpRoutes } from './routes/totp.js';
import { requireSecondFactor } from './second-factor.js';
import { safePath } from './safe-path.js';
import { requestLog } from './request-log.js';
import { temporalUiLinks } from './temporal-ui.js';
import { notFound, problemHandler } from './problem.js';
import { alertRoutes } from './routes/alerts.js';
import { holidayRoutes, workingHoursRoutes } from './routes/calendars.js';
import { caseMatchRoutes } from './routes/case-matches.js';
import { caseRoutes } from './routes/cases.js';
import { codecRoutes } from './routes/codec.js';
import { healthRoutes } from './routes/health.js';
import { peopleRoutes } from './routes/people.js';
import { slaPolicyRoutes } from './routes/sla-policies.js';
import { slaPolicyRolloutRoutes } from './routes/sla-policy-rollout.js';
import { statsRoutes } from './routes/stats.js';
import { uptRoutes } from './routes/upts.js';
import { webhookRoutes } from './routes/webhooks.js';

export interface AppDependencies {
  pool: Pool;
  temporal: Client;
  /** Where new cases are started; the worker polls the same queue. */
  taskQueue: string;
  /** Longest a request waits on Temporal; a step normally answers in well under a second. */
  temporalDeadlineMs?: number;
  /** Failed authentications allowed per client and per key (default: the AUTH_FAILURE* settings). */
  authFailureLimits?: AuthFailureLimits;
  /** Counters of failed authentication shared with every API process using the same name (tests use their own). */
  authFailureNamespace?: string;
  /** Express `trust proxy` (default TRUST_PROXY): decides the client address the limits count. */
  trustProxy?: number | string | false;
  /** Key of the NIK hashes in the repeat-client register (default PPKS_MATCH_KEY; loaded at start, so production fails fast without it). */
  matchKey?: Buffer;
  /** Turns new requests away while a stopping process finishes the ones in flight (api/main.ts). */
  draining?: Draining;
  /** People's sessions: timeouts and allowed origins (default: the SESSION_* settings). */
  sessions?: SessionSettings;
  /** Single sign-on through an OpenID Connect provider (default: the OIDC_* settings; null: off). */
  sso?: SsoClient | null;
  /** The Temporal UI gateway's public URL, that /temporal… links to (default: TEMPORAL_UI_PUBLIC_URL when TEMPORAL_UI_URL is set; null: none). */
  temporalUiPublicUrl?: string | null;
}

export function createApp({
  pool,
  temporal,
  taskQueue,
  temporalDeadlineMs = 10_000,
  authFailureLimits = configuredAuthFailureLimits(),
  authFailureNamespace,
  trustProxy = config.trustProxy,
  matchKey = loadMatchKey(),
  draining = new Draining(),
  sessions = configuredSessionSettings(),
  sso = ssoFromSettings(),
  temporalUiPublicUrl = config.temporalUiUrl ? config.temporalUiPublicUrl : null,
}: AppDependencies): express.Express {
  hashKeyring(); // loaded now, so that production without PPKS_HASH_KEYS fails at start
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.set('query parser', 'simple');
  // Every request: timed by route template, and traced (its log lines carry the trace ID).
  app.use(httpMetrics, traceRequests);
  app.use(requestLog());
  app.use(draining.gate);

  // Fail fast while Temporal is down (503 with Retry-After) instead of holding agencies' requests.
  app.use((_req, _res, next) => temporal.connection.withDeadline(Date.now() + temporalDeadlineMs, async () => next()));

  const document = openApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'PPKS case service API' }));
  app.use(healthRoutes(pool, temporal));
  // One count of failed authentications for the agency API and the codec endpoint.
  const failures = authFailureLimiter(pool, authFailureLimits, authFailureNamespace);
  app.use('/codec', codecRoutes(pool, temporal, failures, sessions));
  if (temporalUiPublicUrl) app.use('/temporal', temporalUiLinks(temporalUiPublicUrl));

  const v1 = express.Router();
  v1.use(express.json({ limit: '64kb', strict: true }));
  v1.use(signInRoutes(pool, failures, sessions));
  v1.use(oidcRoutes(pool, failures, sessions, sso));
  v1.use(authenticate(failures, (req) => apiKeyCredential(pool, req.get('authorization')), undefined, { pool, settings: sessions }));
  v1.use(sessionRoutes(pool));
  v1.use(totpRoutes(pool, failures));
  // Everything below needs a session's second factor, when its person needs one.
  v1.use(requireSecondFactor);
  v1.use('/cases', caseRoutes(pool, temporal, taskQueue, matchKey));
  v1.use('/cases', caseMatchRoutes(pool, temporal));
  v1.use('/alerts', alertRoutes(pool));
  v1.use('/upts', uptRoutes(pool));
  v1.use('/stats', statsRoutes(pool));
  v1.use('/sla-policies', slaPolicyRoutes(pool));
  v1.use('/sla-policies', slaPolicyRolloutRoutes(pool, temporal));
  v1.use('/holidays', holidayRoutes(pool));
  v1.use('/working-hours', workingHoursRoutes(pool));
  v1.use('/webhooks', webhookRoutes(pool));
  v1.use(peopleRoutes(pool));
  app.use('/v1', v1);
  // The staff console at `/`, after every route of the API so that it never shadows one.
  app.use(consolePages(path.join(projectRoot, 'console', 'dist')));

  app.use((req, _res, next) => next(notFound(`No route ${req.method} ${safePath(req.path)}`)));
  app.use(problemHandler);
  return app;
}

function ssoFromSettings(): SsoClient | null {
  const settings = configuredSsoSettings();
  return settings && ssoClient(settings);
}
