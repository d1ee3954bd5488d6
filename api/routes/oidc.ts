/**
 * `GET /v1/session/oidc` and its callback (issue 15): single sign-on through the OpenID Connect
 * provider (api/oidc.ts). The first sends the browser to the provider; the second takes it back,
 * maps the provider's group claim to exactly one agency, finds or creates the person and starts
 * the same session as a password sign-in (same cookie, CSRF token and second-factor rules).
 * Failed callbacks count in the limiter of failed authentications, per client address.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import { logger } from '../../logger.js';
import type { Pool } from '../../db/pool.js';
import type { AuthFailureLimiter } from '../auth-failures.js';
import { refuseWhileBlocked } from '../auth.js';
import { CALLBACK_PATH, mappedAgencies, type SsoClient, type SsoClaims } from '../oidc.js';
import { badRequest, forbidden, HttpProblem, notFound, unavailable } from '../problem.js';
import { SESSION_COOKIE, sessionCookieOptions, startSession, type SessionSettings } from '../sessions.js';
import { ssoPerson } from '../sso-people.js';

/** Ties the callback to the browser that started the sign-in (no one else's callback URL signs it in). */
const FLOW_COOKIE = 'ppks_oidc';
const FLOW_PATH = '/v1/session/oidc';
/** Long enough to sign in at the provider, short enough that an abandoned sign-in soon means nothing. */
const FLOW_SECONDS = 600;
/** Where the browser goes once signed in: the console. */
const AFTER_SIGN_IN = '/';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The flow cookie is SameSite=Lax, unlike the session's Strict: the provider sends the browser
 * back with a top-level cross-site redirect, on which a Strict cookie would not be sent.
 */
function flowCookieOptions(req: Request) {
  return { ...sessionCookieOptions(req), sameSite: 'lax' as const, path: FLOW_PATH };
}

function flowToken(req: Request): string | null {
  for (const pair of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === FLOW_COOKIE && value.length > 0) return value.join('=') || null;
  }
  return null;
}

/** Mounted before authentication, next to POST /v1/session; 404 while single sign-on is off. */
export function oidcRoutes(pool: Pool, failures: AuthFailureLimiter, settings: SessionSettings, sso: SsoClient | null): Router {
  const router = Router();
  const configured = () => {
    if (!sso) throw notFound('Single sign-on is not configured here (OIDC_ISSUER): sign in with email and password');
    return sso;
  };

  router.get('/session/oidc', async (req, res) => {
    const client = configured();
    const redirectUri = client.settings.redirectUri ?? `${req.protocol}://${req.get('host')}${CALLBACK_PATH}`;
    const flow = await client.start(redirectUri).catch(providerUnreachable);
    const token = randomBytes(32).toString('base64url');
    // Abandoned sign-ins are of no use to anyone: swept whenever one starts.
    await pool.query('DELETE FROM oidc_sign_ins WHERE expires_at <= now()');
    await pool.query(
      `INSERT INTO oidc_sign_ins (browser_hash, state, nonce, code_verifier, redirect_uri, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
      [hashToken(token), flow.state, flow.nonce, flow.codeVerifier, redirectUri, FLOW_SECONDS],
    );
    res.cookie(FLOW_COOKIE, token, { ...flowCookieOptions(req), maxAge: FLOW_SECONDS * 1000 });
    res.redirect(303, flow.url.href);
  });

  router.get('/session/oidc/callback', async (req, res) => {
    const client = configured();
    const address = req.ip ?? 'unknown';
    await refuseWhileBlocked(failures, address, null);
    let userId: string;
    try {
      userId = await signedInPerson(pool, client, req);
    } catch (error) {
      // Refusals count as failed authentications; a provider out of reach is no one's failure.
      if (error instanceof HttpProblem && error.status < 500) await failures.recordFailure(address, null);
      throw error;
    }
    res.clearCookie(FLOW_COOKIE, flowCookieOptions(req));
    const session = await startSession(pool, userId, settings);
    res.cookie(SESSION_COOKIE, session.token, sessionCookieOptions(req));
    res.redirect(303, AFTER_SIGN_IN);
  });
  return router;
}

/** The callback checked against the sign-in this browser started, and the person it signs in. */
async function signedInPerson(pool: Pool, sso: SsoClient, req: Request): Promise<string> {
  const token = flowToken(req);
  // Used once: a callback URL replayed, or sent to another browser, finds nothing.
  const { rows } = await pool.query<{ state: string; nonce: string; code_verifier: string; redirect_uri: string }>(
    'DELETE FROM oidc_sign_ins WHERE browser_hash = $1 AND expires_at > now() RETURNING state, nonce, code_verifier, redirect_uri',
    [token === null ? '' : hashToken(token)],
  );
  const kept = rows[0];
  if (!kept) throw badRequest(`No single sign-on was started in this browser in the last ${FLOW_SECONDS / 60} minutes: start again`);
  const callbackUrl = new URL(kept.redirect_uri);
  callbackUrl.search = new URL(req.originalUrl, 'http://callback').search;
  let claims: SsoClaims;
  try {
    claims = await sso.finish(callbackUrl, { state: kept.state, nonce: kept.nonce, codeVerifier: kept.code_verifier });
  } catch (error) {
    if (isUnreachable(error)) providerUnreachable(error);
    // The library's code (a state mismatch, a bad signature, the provider's own error) says why; no claims are logged.
    logger.warn({ err: { code: (error as { code?: string }).code, error: (error as { error?: string }).error } }, 'single sign-on refused');
    throw forbidden('The identity provider did not sign you in (the answer did not match this sign-in, or the provider refused it)');
  }
  const agencies = mappedAgencies(sso.settings, claims);
  if (agencies.length === 0) {
    throw forbidden(`None of your groups at the identity provider (claim ${sso.settings.agencyClaim}) is mapped to an agency here`);
  }
  if (agencies.length > 1) {
    throw forbidden(`Your groups at the identity provider map to several agencies (${agencies.join(', ')}): a person belongs to one`);
  }
  if (typeof claims.email !== 'string' || !claims.email.includes('@')) throw forbidden('The identity provider sent no email for you');
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : claims.email;
  return ssoPerson(pool, { issuer: claims.iss, subject: claims.sub, email: claims.email.trim(), name, agencyId: agencies[0]! });
}

function isUnreachable(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return error instanceof TypeError || ['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND'].includes(cause?.code ?? '');
}

function providerUnreachable(error: unknown): never {
  logger.warn({ err: { message: (error as Error).message } }, 'identity provider unreachable');
  throw unavailable('The identity provider cannot be reached: try again shortly, or sign in with email and password');
}
