/**
 * `/v1/session/totp…` (issue 15): enrolling a TOTP second factor, and passing it after the
 * password. Mounted after authentication (so the CSRF checks apply: these are state changes made
 * with the cookie) and before api/second-factor.ts's gate, since a pending session needs them.
 * Wrong codes count in the limiter of failed sign-ins, per client and per account.
 */
import { Router, type Request, type Response } from 'express';
import type { Pool } from '../../db/pool.js';
import { loadPayloadKeyring } from '../../encryption/keys.js';
import type { AuthFailureLimiter } from '../auth-failures.js';
import { actorOf, personOf, refuseWhileBlocked } from '../auth.js';
import { badRequest, conflict, parseOr400, unauthorized } from '../problem.js';
import { TotpConfirmation, TotpVerification } from '../schemas/session.js';
import { passSecondFactor, SESSION_COOKIE, sessionCookieOptions, sessionToken, type SessionPerson } from '../sessions.js';
import { confirmEnrolment, startEnrolment, totpCodeMatches, totpSecrets, useRecoveryCode } from '../totp.js';
import { accountKey, whoIs } from './session.js';

export function totpRoutes(pool: Pool, failures: AuthFailureLimiter): Router {
  const router = Router();
  const secrets = totpSecrets(loadPayloadKeyring());

  /** The person and session token; a second factor belongs to a person, not to an API key. */
  const sessionOf = (req: Request, res: Response): { person: SessionPerson; token: string } => {
    const person = personOf(res);
    const token = sessionToken(req);
    if (!person || !token) throw badRequest('A second factor belongs to a person: sign in (POST /v1/session) first');
    return { person, token };
  };

  /** Runs `check` unless the client or account is blocked; a false result counts as a failed sign-in. */
  const guarded = async (req: Request, userId: string, check: () => Promise<boolean>) => {
    const client = req.ip ?? 'unknown';
    const { rows } = await pool.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [userId]);
    const account = accountKey(rows[0]!.email);
    await refuseWhileBlocked(failures, client, account);
    if (!(await check())) {
      await failures.recordFailure(client, account);
      throw unauthorized('The code is wrong, or has been used already');
    }
  };

  /** Marks the session as past its second factor, under the new token it gets for it. */
  const upgrade = async (req: Request, res: Response, token: string) => {
    res.cookie(SESSION_COOKIE, await passSecondFactor(pool, token), sessionCookieOptions(req));
  };

  router.post('/session/totp/enrolment', async (req, res) => {
    const { person } = sessionOf(req, res);
    res.json(await startEnrolment(pool, secrets, person.userId));
  });

  router.post('/session/totp/enrolment/confirm', async (req, res) => {
    const { person, token } = sessionOf(req, res);
    const { code } = parseOr400(TotpConfirmation, req.body ?? {}, 'body');
    await guarded(req, person.userId, () => totpCodeMatches(pool, secrets, person.userId, code, 'enrolling'));
    const recoveryCodes = await confirmEnrolment(pool, person.userId, actorOf(res));
    await upgrade(req, res, token);
    res.json({ ...(await whoIs(pool, actorOf(res), { ...person, secondFactor: 'verified' })), recoveryCodes });
  });

  router.post('/session/totp', async (req, res) => {
    const { person, token } = sessionOf(req, res);
    const body = parseOr400(TotpVerification, req.body ?? {}, 'body');
    if (person.secondFactor === 'enrolment_required' || person.secondFactor === 'not_enrolled') {
      throw conflict('No second factor is enrolled: enrol one (POST /v1/session/totp/enrolment)');
    }
    await guarded(req, person.userId, () =>
      body.code !== undefined
        ? totpCodeMatches(pool, secrets, person.userId, body.code, 'enrolled')
        : useRecoveryCode(pool, person.userId, body.recoveryCode!),
    );
    await upgrade(req, res, token);
    res.json(await whoIs(pool, actorOf(res), { ...person, secondFactor: 'verified' }));
  });
  return router;
}
