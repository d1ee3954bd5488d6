/**
 * `/v1/session` and `/v1/me` (issue 15): a person signs in with email and password (JSON, or the
 * console's form post) and gets a session cookie; signs out, ending the session everywhere; and
 * asks who is signed in. Failed sign-ins count in the limiter of failed API keys, per client and
 * per account; an unknown email and a wrong password are answered alike, after the same work.
 */
import { createHash } from 'node:crypto';
import express, { Router } from 'express';
import type { Pool } from '../../db/pool.js';
import type { Actor } from '../../domain/case.js';
import type { AuthFailureLimiter } from '../auth-failures.js';
import { actorOf, personOf, refuseWhileBlocked } from '../auth.js';
import { checkOrigin } from '../csrf.js';
import { passwordMatches } from '../passwords.js';
import { badRequest, parseOr400, unauthorized } from '../problem.js';
import { Me, SignIn } from '../schemas/session.js';
import {
  endSession,
  SESSION_COOKIE,
  sessionActor,
  sessionCookieOptions,
  sessionToken,
  startSession,
  type SessionPerson,
  type SessionSettings,
} from '../sessions.js';
import type { z } from '../../domain/schemas.js';

/** The account's key in the failure counters: a hash, so that the counters hold no email. */
export const accountKey = (email: string) => createHash('sha256').update(`account:${email.toLowerCase()}`).digest('hex');

/** Where the browser goes after the console's sign-in form: the console. */
const AFTER_FORM_SIGN_IN = '/';

/** POST /v1/session: mounted before authentication, since it is how a person authenticates. */
export function signInRoutes(pool: Pool, failures: AuthFailureLimiter, settings: SessionSettings): Router {
  const router = Router();
  router.post('/session', express.urlencoded({ extended: false, limit: '8kb' }), async (req, res) => {
    // A browser always names the page's origin: another site's form must not sign a person in (login CSRF).
    if (req.get('origin') !== undefined) checkOrigin(req, settings.allowedOrigins);
    const { email, password } = parseOr400(SignIn, req.body ?? {}, 'body');
    const client = req.ip ?? 'unknown';
    const account = accountKey(email);
    await refuseWhileBlocked(failures, client, account);
    const { rows } = await pool.query<{ id: string; password_hash: string; disabled: boolean }>(
      'SELECT id, password_hash, disabled FROM users WHERE lower(email) = lower($1)',
      [email],
    );
    const user = rows[0];
    // Verified in every case (against a dummy hash for an unknown email), so the answer's time tells nothing.
    const matches = await passwordMatches(user?.password_hash ?? null, password);
    if (!user || !matches || user.disabled) {
      await failures.recordFailure(client, account);
      throw unauthorized('Unknown email or wrong password');
    }
    const session = await startSession(pool, user.id, settings);
    // A session cookie (no Max-Age): the server ends it at its idle or absolute timeout, the browser when it closes.
    res.cookie(SESSION_COOKIE, session.token, sessionCookieOptions(req));
    if (req.is('application/x-www-form-urlencoded')) {
      res.redirect(303, AFTER_FORM_SIGN_IN);
      return;
    }
    const { actor, ...person } = await sessionActor(pool, session.token, settings);
    res.status(201).json(await whoIs(pool, actor, person));
  });
  return router;
}

/** DELETE /v1/session and GET /v1/me: after authentication (a session, or GET /v1/me with an API key too). */
export function sessionRoutes(pool: Pool): Router {
  const router = Router();
  router.delete('/session', async (req, res) => {
    const token = personOf(res) && sessionToken(req);
    if (!token) throw badRequest('This request was made with an API key: there is no session to end');
    await endSession(pool, token);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(req));
    res.status(204).end();
  });
  router.get('/me', async (_req, res) => {
    res.json(await whoIs(pool, actorOf(res), personOf(res)));
  });
  return router;
}

export async function whoIs(pool: Pool, actor: Actor, person: SessionPerson | null): Promise<z.infer<typeof Me>> {
  const { rows } = await pool.query<{ agency_name: string; email: string | null; name: string | null }>(
    `SELECT a.name AS agency_name, u.email, u.name FROM agencies a LEFT JOIN users u ON u.id = $2 AND u.agency_id = a.id WHERE a.id = $1`,
    [actor.agencyId, person?.userId ?? null],
  );
  const row = rows[0]!;
  return {
    userId: person?.userId ?? null,
    email: row.email,
    name: row.name,
    agency: { id: actor.agencyId, name: row.agency_name },
    role: actor.role,
    scope: { regionCode: actor.regionCode, uptCode: actor.uptCode },
    csrfToken: person?.csrfToken ?? null,
    secondFactor: person?.secondFactor ?? null,
  };
}
