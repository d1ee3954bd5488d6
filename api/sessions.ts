/**
 * Server-side sessions of people signed in (issue 15), in PostgreSQL so that every API process
 * knows them and signing out ends a session in every tab at once. The cookie holds a random
 * token; the table holds only its SHA-256 hash, next to the synchronizer token of CSRF
 * protection. A session ends after an idle time without requests, and at an absolute time
 * however active it is.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CookieOptions, Request } from 'express';
import { Duration } from 'luxon';
import { config } from '../config.js';
import type { Pool } from '../db/pool.js';
import type { Actor, Role } from '../domain/case.js';
import { unauthorized } from './problem.js';
import { secondFactorState, type SecondFactorState } from './second-factor.js';

export const SESSION_COOKIE = 'ppks_session';

export interface SessionSettings {
  idleSeconds: number;
  absoluteSeconds: number;
  /** Origins besides the API's own whose pages may send state-changing requests with the cookie. */
  allowedOrigins: readonly string[];
}

/** SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_TIMEOUT and SESSION_ALLOWED_ORIGINS. */
export function configuredSessionSettings(): SessionSettings {
  const seconds = (name: string, iso: string) => {
    const duration = Duration.fromISO(iso);
    if (!duration.isValid || duration.as('seconds') <= 0) throw new RangeError(`${name} must be an ISO 8601 duration such as PT30M`);
    return duration.as('seconds');
  };
  return {
    idleSeconds: seconds('SESSION_IDLE_TIMEOUT', config.sessionIdleTimeout),
    absoluteSeconds: seconds('SESSION_ABSOLUTE_TIMEOUT', config.sessionAbsoluteTimeout),
    allowedOrigins: config.sessionAllowedOrigins,
  };
}

/** The person of a session, and how far their session has got with a second factor. */
export interface SessionPerson {
  userId: string;
  csrfToken: string;
  secondFactor: SecondFactorState;
}

/** A request made in a session: the agency acting, and the person. */
export interface SessionActor extends SessionPerson {
  actor: Actor;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/** A new session for a person: the cookie's token (returned once, stored hashed) and its CSRF token. */
export async function startSession(
  pool: Pool,
  userId: string,
  settings: SessionSettings,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  // Sessions past either timeout are of no use to anyone: swept whenever someone signs in.
  await pool.query(`DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1)`, [
    settings.idleSeconds,
  ]);
  const token = newToken();
  const csrfToken = newToken();
  const { rows } = await pool.query<{ expires_at: Date }>(
    `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))
     RETURNING expires_at`,
    [hashToken(token), userId, csrfToken, settings.absoluteSeconds],
  );
  return { token, csrfToken, expiresAt: rows[0]!.expires_at };
}

/**
 * The person and agency of a live session, its idle time restarted; a 401 when the session is
 * unknown, timed out or ended, or the person disabled (checked on every request, never cached).
 */
export async function sessionActor(pool: Pool, token: string, settings: SessionSettings): Promise<SessionActor> {
  const { rows } = await pool.query<{
    user_id: string;
    disabled: boolean;
    csrf_token: string;
    agency_id: string;
    role: Role;
    region_code: string | null;
    upt_code: string | null;
    enrolled: boolean;
    verified: boolean;
  }>(
    `WITH live AS (
       UPDATE sessions SET last_seen_at = now()
       WHERE token_hash = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(secs => $2)
       RETURNING user_id, csrf_token, second_factor_at)
     SELECT u.id AS user_id, u.disabled, live.csrf_token, a.id AS agency_id, a.role, a.region_code, a.upt_code,
       u.totp_enrolled_at IS NOT NULL AS enrolled, live.second_factor_at IS NOT NULL AS verified
     FROM live JOIN users u ON u.id = live.user_id JOIN agencies a ON a.id = u.agency_id`,
    [hashToken(token), settings.idleSeconds],
  );
  const session = rows[0];
  if (!session) throw unauthorized('The session has ended (signed out, or timed out): sign in again');
  if (session.disabled) throw unauthorized('This account is disabled');
  return {
    actor: { agencyId: session.agency_id, role: session.role, regionCode: session.region_code, uptCode: session.upt_code },
    userId: session.user_id,
    csrfToken: session.csrf_token,
    // Worked out on every request: a person who enrols, or whose agency becomes a supervisor, needs it from then on.
    secondFactor: secondFactorState(session.role, session.enrolled, session.verified),
  };
}

/**
 * The session has passed the second factor. It gets a new token, returned for the cookie: a token
 * someone planted or saw before the second factor is worth nothing after it (session fixation).
 */
export async function passSecondFactor(pool: Pool, token: string): Promise<string> {
  const upgraded = newToken();
  await pool.query('UPDATE sessions SET second_factor_at = now(), token_hash = $2 WHERE token_hash = $1', [
    hashToken(token),
    hashToken(upgraded),
  ]);
  return upgraded;
}

/** Ends the session: every tab using it is signed out with it. */
export async function endSession(pool: Pool, token: string): Promise<void> {
  await pool.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
}

/** The session cookie's token, if the request carries one. */
export function sessionToken(req: Request): string | null {
  for (const pair of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === SESSION_COOKIE && value.length > 0) return value.join('=') || null;
  }
  return null;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The cookie's attributes: out of reach of scripts, never sent along cross-site requests, and over
 * TLS only, except to a local API over plain HTTP (development), where a Secure cookie would not
 * come back.
 */
export function sessionCookieOptions(req: Request): CookieOptions {
  const local = req.protocol === 'http' && LOCAL_HOSTS.has(req.hostname);
  return { httpOnly: true, sameSite: 'strict', secure: !local, path: '/' };
}
