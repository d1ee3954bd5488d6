/**
 * People under an agency (issue 15): added, listed, disabled and enabled, their password reset.
 * Each person acts with their agency's role and scope. Every change is written to the audit trail
 * in its transaction, naming the person by user ID only (an email or a name is personal data).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { appendAudit } from '../audit/trail.js';
import { inTransaction, type Pool } from '../db/pool.js';
import type { Role } from '../domain/case.js';
import { generatePassword, hashPassword, passwordProblem } from './passwords.js';

export interface NewUser {
  agencyId: string;
  name: string;
  email: string;
  /** Generated when absent. */
  password?: string;
}

/** What `add` and `reset-password` hand back once: the password is never stored, only its hash. */
export interface IssuedPassword {
  userId: string;
  email: string;
  password: string;
}

export interface UserListing {
  userId: string;
  email: string;
  name: string;
  agencyId: string;
  role: Role;
  disabled: boolean;
  /** Whether a TOTP second factor is enrolled (never the secret). */
  secondFactorEnrolled: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * A change refused: `field` names what was wrong and `problem` says how. The CLI prints the message,
 * the API (api/routes/people.ts) answers 400, 409 or 404 naming the field.
 */
export class PeopleError extends Error {
  constructor(
    readonly reason: 'invalid' | 'taken' | 'unknown',
    readonly field: string,
    readonly problem: string,
    message = `--${field} ${problem}`,
  ) {
    super(message);
  }
}

/** Who made a change: an operator unless given; over the API the acting agency, its role and the person signed in. */
export interface ChangedBy {
  role: string;
  userId: string | null;
  /** The acting agency, when it is not the person's own (the person's agency is then in the entry's details). */
  agencyId?: string;
  requestId?: string | null;
}

/** Done by an operator (`npm run user`, or `npm start` creating the dev people), not over the API. */
const OPERATOR: ChangedBy = { role: 'operator', userId: null };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A person's ID, or an email (any case), as the operator names them. */
const WHO = `(id = $1 OR lower(email) = lower($1))`;

/** A password given (or generated) that is too short or common. */
function refuseWeak(password: string): void {
  const weak = passwordProblem(password);
  if (weak) throw new PeopleError('invalid', 'password', weak, weak);
}

const noPerson = (who: string) => new PeopleError('unknown', 'userId', 'names no person', `no person ${who}`);

export async function addUser(pool: Pool, user: NewUser, by: ChangedBy = OPERATOR): Promise<IssuedPassword> {
  const email = user.email.trim();
  if (!EMAIL.test(email) || email.length > 254) throw new PeopleError('invalid', 'email', 'must be an email address');
  if (!user.name.trim()) throw new PeopleError('invalid', 'name', 'is required');
  const password = user.password ?? generatePassword();
  refuseWeak(password);
  const { rowCount } = await pool.query('SELECT 1 FROM agencies WHERE id = $1', [user.agencyId]);
  if (rowCount === 0)
    throw new PeopleError('unknown', 'agencyId', 'names no agency', `unknown agency ${user.agencyId} (see npm run agency -- list)`);
  const userId = `user_${randomUUID()}`;
  const passwordHash = await hashPassword(password);
  await inTransaction(pool, async (client) => {
    await client
      .query('INSERT INTO users (id, agency_id, email, name, password_hash) VALUES ($1, $2, $3, $4, $5)', [
        userId,
        user.agencyId,
        email,
        user.name.trim(),
        passwordHash,
      ])
      .catch((error: { code?: string; constraint?: string }) => {
        if (error.code === '23505' && error.constraint === 'users_email_unique')
          throw new PeopleError('taken', 'email', 'is taken by another person', 'a person with this email exists already');
        throw error;
      });
    await auditUserChange(client, 'user.added', userId, user.agencyId, by);
  });
  return { userId, email, password };
}

export async function listUsers(pool: Pool, agencyId?: string): Promise<UserListing[]> {
  const { rows } = await pool.query<UserListing & { createdAt: Date; updatedAt: Date }>(
    `SELECT u.id AS "userId", u.email, u.name, u.agency_id AS "agencyId", a.role, u.disabled,
       u.totp_enrolled_at IS NOT NULL AS "secondFactorEnrolled", u.created_at AS "createdAt", u.updated_at AS "updatedAt"
     FROM users u JOIN agencies a ON a.id = u.agency_id
     WHERE $1::text IS NULL OR u.agency_id = $1 ORDER BY u.created_at, u.id`,
    [agencyId ?? null],
  );
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() }));
}

/** Disables or enables a person; disabling also ends their sessions. Returns their user ID. */
export function setDisabled(pool: Pool, who: string, disabled: boolean, by: ChangedBy = OPERATOR): Promise<string> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; agency_id: string }>(
      `UPDATE users SET disabled = $2, updated_at = now() WHERE ${WHO} RETURNING id, agency_id`,
      [who, disabled],
    );
    const user = rows[0];
    if (!user) throw noPerson(who);
    if (disabled) await client.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
    await auditUserChange(client, disabled ? 'user.disabled' : 'user.enabled', user.id, user.agency_id, by);
    return user.id;
  });
}

/** A new password (generated unless given) for a person; their sessions end. */
export async function resetPassword(pool: Pool, who: string, given?: string, by: ChangedBy = OPERATOR): Promise<IssuedPassword> {
  const password = given ?? generatePassword();
  refuseWeak(password);
  const passwordHash = await hashPassword(password);
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; email: string; agency_id: string }>(
      `UPDATE users SET password_hash = $2, updated_at = now() WHERE ${WHO} RETURNING id, email, agency_id`,
      [who, passwordHash],
    );
    const user = rows[0];
    if (!user) throw noPerson(who);
    await client.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
    await auditUserChange(client, 'user.password_reset', user.id, user.agency_id, by);
    return { userId: user.id, email: user.email, password };
  });
}

/** A person's second factor removed (a lost device): they enrol again at their next sign-in; their sessions end. */
export function resetTotp(pool: Pool, who: string, by: ChangedBy = OPERATOR): Promise<string> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; agency_id: string }>(
      `UPDATE users SET totp_secret_ciphertext = NULL, totp_secret_key_id = NULL, totp_enrolled_at = NULL, totp_last_step = NULL,
         updated_at = now() WHERE ${WHO} RETURNING id, agency_id`,
      [who],
    );
    const user = rows[0];
    if (!user) throw noPerson(who);
    // Kept, marked used: the next enrolment issues new ones.
    await client.query('UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [user.id]);
    await client.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
    await auditUserChange(client, 'user.totp_reset', user.id, user.agency_id, by);
    return user.id;
  });
}

type UserChange =
  | 'user.added'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.password_reset'
  | 'user.totp_enrolled'
  | 'user.totp_reset'
  | 'user.agency_changed';

export async function auditUserChange(
  client: PoolClient,
  action: UserChange,
  userId: string,
  agencyId: string,
  by: ChangedBy = OPERATOR,
): Promise<void> {
  const at = new Date().toISOString();
  const details: Record<string, string> = by.agencyId ? { userId, agencyId } : { userId };
  await appendAudit(client, {
    // A person may be disabled and enabled many times: each change is its own entry.
    entryKey: `${action}:${userId}:${randomUUID()}`,
    caseNumber: null,
    action,
    agencyId: by.agencyId ?? agencyId,
    role: by.role,
    userId: by.userId,
    requestId: by.requestId ?? null,
    requestHash: createHash('sha256').update(JSON.stringify({ action, agencyId, details, at })).digest('hex'),
    at,
    details,
  });
}
