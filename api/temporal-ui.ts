/**
 * The Temporal Web UI for supervisors without setup (issue 15): the API process serves it on an
 * origin of its own (TEMPORAL_UI_GATEWAY_PORT), proxied to TEMPORAL_UI_URL, together with the
 * codec endpoint. The UI is configured with `/codec` as its codec endpoint, so it decodes on the
 * same origin, and the browser sends the session cookie the console's sign-in set (a cookie
 * belongs to a host, whatever the port) with no setting in the UI. The UI sits at the root of its
 * origin: under a sub-path its summaries (rendered in a frame at /render) do not show.
 *
 * The UI has no sign-in of its own and lists every case: only a signed-in supervisor past the
 * second factor gets through (the people who may decode payloads, `payloads.decode`); anyone
 * else opening a page is sent to sign in. It is for reading: the gateway passes GETs and the
 * POSTs of workflow queries, which change nothing; terminating, signalling or resetting a case
 * from the UI would bypass the audit trail, so every change to a case goes through the API.
 */
import type { IncomingMessage } from 'node:http';
import express, { type Request, type Response } from 'express';
import type { Client } from '@temporalio/client';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { config } from '../config.js';
import type { Pool } from '../db/pool.js';
import { authorize } from './access.js';
import { authFailureLimiter, type AuthFailureLimits } from './auth-failures.js';
import { notFound, HttpProblem, problemHandler, unauthorized } from './problem.js';
import { requestLog } from './request-log.js';
import { codecRoutes } from './routes/codec.js';
import { SESSION_COOKIE, sessionActor, sessionToken, type SessionSettings } from './sessions.js';

interface TemporalUiGatewaySettings {
  /** The Temporal Web UI server (TEMPORAL_UI_URL). */
  upstream: string;
  /** Where people sign in (CONSOLE_URL): the console, which sends them back afterwards. */
  consoleUrl: string;
}

export interface TemporalUiGatewayDependencies {
  pool: Pool;
  temporal: Client;
  sessions: SessionSettings;
  settings: TemporalUiGatewaySettings;
  authFailureLimits: AuthFailureLimits;
  /** The API's counters of failed authentication: a key guessed at either door counts once. */
  authFailureNamespace?: string;
  /** Express `trust proxy`, as for the API (default TRUST_PROXY): the address sign-in sends people back to. */
  trustProxy?: number | string | false;
}

/** `POST /api/v1/namespaces/{ns}/workflows/{id}/query/{type}`: a workflow query, the one read the UI makes with POST. */
const QUERY = /^\/api\/v1\/namespaces\/[^/]+\/workflows\/[^/]+\/query\/[^/]+$/;

export function createTemporalUiGateway({
  pool,
  temporal,
  sessions,
  settings,
  authFailureLimits,
  authFailureNamespace,
  trustProxy = config.trustProxy,
}: TemporalUiGatewayDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.use(requestLog());
  app.use('/codec', codecRoutes(pool, temporal, authFailureLimiter(pool, authFailureLimits, authFailureNamespace), sessions));
  app.use(async (req, res, next) => {
    const token = sessionToken(req);
    const session =
      token &&
      (await sessionActor(pool, token, sessions).catch((refused: unknown) => {
        if (refused instanceof HttpProblem && refused.status === 401) return null;
        throw refused;
      }));
    if (!session) return signInFirst(req, res, settings.consoleUrl);
    res.locals.actor = session.actor;
    authorize(session.actor, 'payloads.decode', {});
    if (session.secondFactor !== 'verified') throw unauthorized('Pass the second factor (sign in again) before opening the Temporal UI');
    if (req.method !== 'GET' && req.method !== 'HEAD' && !(req.method === 'POST' && QUERY.test(req.path))) {
      throw new HttpProblem(
        405,
        'Method Not Allowed',
        'The Temporal UI is for reading: change a case through the API, where it is audited',
      );
    }
    next();
  });
  app.use(
    createProxyMiddleware({
      target: settings.upstream,
      // The UI server needs neither the session cookie nor an API key: they stay here.
      on: { proxyReq: (proxyReq, req) => forwardWithoutCredentials(proxyReq, req) },
    }),
  );
  app.use((req, _res, next) => next(notFound(`No route ${req.method}`)));
  app.use(problemHandler);
  return app;
}

/**
 * The console's `/temporal…` links: to the same path on the gateway's public origin
 * (TEMPORAL_UI_PUBLIC_URL), so that a page of the console links a case's workflow without knowing
 * where the UI is.
 */
export function temporalUiLinks(publicUrl: string): express.RequestHandler {
  const base = publicUrl.replace(/\/$/, '');
  return (req, res, next) => {
    if (req.method !== 'GET') return next();
    res.redirect(302, `${base}${req.url}`);
  };
}

/** A page goes to the console's sign-in, which comes back here; anything else gets 401. */
function signInFirst(req: Request, res: Response, consoleUrl: string): void {
  // A browser navigating names text/html; a script's call (or a */* client) gets the 401.
  if (req.method === 'GET' && (req.get('accept') ?? '').includes('text/html')) {
    const here = `${req.protocol}://${req.get('host')}${req.originalUrl}`;
    res.redirect(303, `${consoleUrl.replace(/\/$/, '')}/?next=${encodeURIComponent(here)}`);
    return;
  }
  throw unauthorized('Sign in as a supervisor (POST /v1/session) to open the Temporal UI');
}

function forwardWithoutCredentials(
  proxyReq: { setHeader(name: string, value: string): void; removeHeader(name: string): void },
  req: IncomingMessage,
): void {
  proxyReq.removeHeader('authorization');
  const kept = (req.headers.cookie ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair && !pair.startsWith(`${SESSION_COOKIE}=`));
  if (kept.length > 0) proxyReq.setHeader('cookie', kept.join('; '));
  else proxyReq.removeHeader('cookie');
}
