/**
 * `Authorization: Bearer <api key>`, or a person's session cookie (api/sessions.ts). Keys are
 * random, shown once, and stored as SHA-256 hashes: a leaked database does not leak working keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Pool } from '../db/pool.js';
import type { Actor, Role } from '../domain/case.js';
import type { AuthFailureLimiter } from './auth-failures.js';
import { changesState, checkCsrf, checkOrigin } from './csrf.js';
import { sessionActor, sessionToken, type SessionPerson, type SessionSettings } from './sessions.js';
import { tooManyRequests, unauthorized } from './problem.js';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');
export const newApiKey = () => `ppks_${randomBytes(32).toString('base64url')}`;

/**
 * The agency holding a live API key, or null for an unknown, revoked or expired key. Asked on
 * every request, never cached, so that a revoked key fails at once.
 */
export async function agencyForKey(pool: Pool, apiKey: string): Promise<Actor | null> {
  const { rows } = await pool.query<{ id: string; role: Role; region_code: string | null; upt_code: string | null }>(
    `SELECT a.id, a.role, a.region_code, a.upt_code FROM api_keys k JOIN agencies a ON a.id = k.agency_id
     WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`,
    [hashApiKey(apiKey)],
  );
  const agency = rows[0];
  return agency ? { agencyId: agency.id, role: agency.role, regionCode: agency.region_code, uptCode: agency.upt_code } : null;
}

/** The key sent as `Authorization: Bearer <key>`, if any. */
function bearerKey(authorization: string | undefined): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? null;
}

/** What a request presents to prove who it is: hashed for the failure counters, looked up once. */
export interface Credential {
  hash: string;
  lookup: () => Promise<Actor | null>;
  /** Why it was refused, for the 401. */
  refusal: string;
}

/** `Authorization: Bearer <api key>`, if sent. */
export function apiKeyCredential(pool: Pool, authorization: string | undefined): Credential | null {
  const key = bearerKey(authorization);
  return key === null
    ? null
    : { hash: hashApiKey(key), lookup: () => agencyForKey(pool, key), refusal: 'Unknown, revoked or expired API key' };
}

/** How requests without an API key may still authenticate: with a person's session cookie. */
export interface SessionAuthentication {
  pool: Pool;
  settings: SessionSettings;
  /**
   * The routes' POSTs only read (the codec's decode, called by the Temporal Web UI, which cannot
   * send our CSRF token): the page's Origin must still be ours.
   */
  postsOnlyRead?: boolean;
}

/**
 * An API key when one is sent, else a session cookie. Failed keys count against the client
 * address and the presented key (by its hash: keys are never kept); a blocked client or key gets
 * 429 before it is checked, so guessing during a block learns nothing. Session tokens are not
 * counted: 256 random bits are not guessed, and counting the ended sessions of a whole office
 * behind one address would lock its people out. A session's state-changing requests must pass
 * the CSRF checks (api/csrf.ts).
 */
export function authenticate(
  failures: AuthFailureLimiter,
  credentialOf: (req: Request) => Credential | null,
  missing = 'Send the agency API key as `Authorization: Bearer <key>`, or sign in (POST /v1/session)',
  sessions?: SessionAuthentication,
): RequestHandler {
  return async (req, res, next) => {
    const credential = credentialOf(req);
    const token = credential === null && sessions ? sessionToken(req) : null;
    if (token !== null && sessions) {
      const session = await sessionActor(sessions.pool, token, sessions.settings);
      if (changesState(req.method) && sessions.postsOnlyRead) checkOrigin(req, sessions.settings.allowedOrigins);
      else if (changesState(req.method)) checkCsrf(req, session.csrfToken, sessions.settings.allowedOrigins);
      res.locals.actor = session.actor;
      res.locals.person = {
        userId: session.userId,
        csrfToken: session.csrfToken,
        secondFactor: session.secondFactor,
      } satisfies SessionPerson;
    } else {
      res.locals.actor = await authenticated(failures, req.ip ?? 'unknown', credential, missing);
    }
    next();
  };
}

/** A 429 while the client, or the key or account (by `hash`), has failed too often: the same answer for keys and passwords. */
export async function refuseWhileBlocked(failures: AuthFailureLimiter, client: string, hash: string | null): Promise<void> {
  const blockedMs = await failures.blockedForMs(client, hash);
  if (blockedMs > 0) {
    throw tooManyRequests('Too many failed authentication attempts; retry later', Math.max(1, Math.ceil(blockedMs / 1000)));
  }
}

/** The agency behind a credential, or a 429 (blocked) or 401 (counted as a failure). */
async function authenticated(failures: AuthFailureLimiter, client: string, credential: Credential | null, missing: string): Promise<Actor> {
  await refuseWhileBlocked(failures, client, credential?.hash ?? null);
  const actor = credential === null ? null : await credential.lookup();
  if (!actor) {
    await failures.recordFailure(client, credential?.hash ?? null);
    throw unauthorized(credential?.refusal ?? missing);
  }
  return actor;
}

export function actorOf(res: { locals: Record<string, unknown> }): Actor {
  return res.locals.actor as Actor;
}

/** The person signed in, when the request came with a session; null with an API key. */
export function personOf(res: { locals: Record<string, unknown> }): SessionPerson | null {
  return (res.locals.person as SessionPerson | undefined) ?? null;
}
