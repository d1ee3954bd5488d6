/**
 * Who needs a second factor (issue 15), defined once: supervisors and auditors always, since they
 * see and change every case; anyone else once they have enrolled. A session of such a person is
 * "pending" after the password until a TOTP or recovery code is given (api/totp.ts); while pending
 * it reaches only GET /v1/me, signing out and the second-factor endpoints.
 */
import type { RequestHandler } from 'express';
import type { Role } from '../domain/case.js';
import { unauthorized } from './problem.js';

/** The roles whose people must have a second factor: the others may enrol. */
const SECOND_FACTOR_ROLES = ['supervisor', 'auditor'] as const satisfies readonly Role[];

/** A session's second factor, as GET /v1/me tells the console. */
export const SECOND_FACTOR_STATES = ['enrolment_required', 'required', 'verified', 'not_enrolled'] as const;
export type SecondFactorState = (typeof SECOND_FACTOR_STATES)[number];

export function secondFactorState(role: Role, enrolled: boolean, verified: boolean): SecondFactorState {
  if (verified) return 'verified';
  if (enrolled) return 'required';
  return (SECOND_FACTOR_ROLES as readonly Role[]).includes(role) ? 'enrolment_required' : 'not_enrolled';
}

const PENDING: Partial<Record<SecondFactorState, string>> = {
  enrolment_required: 'A second factor is required for this role: enrol one (POST /v1/session/totp/enrolment) before anything else',
  required: 'A second factor is required: send a code from the authenticator app or a recovery code (POST /v1/session/totp)',
};

/**
 * Mounted after the routes a pending session may use: every route after it answers 401 to a
 * session still waiting for its second factor. API keys are unaffected.
 */
export const requireSecondFactor: RequestHandler = (_req, res, next) => {
  const state = (res.locals.person as { secondFactor: SecondFactorState } | undefined)?.secondFactor;
  const pending = state && PENDING[state];
  if (pending) throw unauthorized(pending);
  next();
};
