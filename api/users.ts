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
  createdAt: string;
  updatedAt: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A person's ID, or an email (any case), as the operator names them. */
const WHO = `(id = $1 OR lower(email) = lower($1))`;

export async function addUser(pool: Pool, user: NewUser): Promise<IssuedPassword> {
  const email = user.email.trim();
  if (!EMAIL.test(email) || email.length > 254) throw new Error('--email must be an email address');
  if (!user.name.trim()) throw new Error('--name is required');
  const password = user.password ?? generatePassword();
  const weak = passwordProblem(password);
  if (weak) throw new Error(weak);
  const { rowCount } = await pool.query('SELECT 1 FROM agencies WHERE id = $1', [user.agencyId]);
  if (rowCount === 0) throw new Error(`unknown agency ${user.agencyId} (see npm run agency -- list)`);
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
        if (error.code === '23505' && error.constraint === 'users_email_unique') throw new Error('a person with this email exists already');
        throw error;
      });
    await auditUserChange(client, 'user.added', userId, user.agencyId);
  });
  return { userId, email, password };
}

export async function listUsers(pool: Pool, agencyId?: string): Promise<UserListing[]> {
  const { rows } = await pool.query<UserListing & { createdAt: Date; updatedAt: Date }>(
    `SELECT u.id AS "userId", u.email, u.name, u.agency_id AS "agencyId", a.role, u.disabled,
       u.created_at AS "createdAt", u.updated_at AS "updatedAt"
     FROM users u JOIN agencies a ON a.id = u.agency_id
     WHERE $1::text IS NULL OR u.agency_id = $1 ORDER BY u.created_at, u.id`,
    [agencyId ?? null],
  );
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() }));
}

/** Disables or enables a person; disabling also ends their sessions. Returns their user ID. */
export function setDisabled(pool: Pool, who: string, disabled: boolean): Promise<string> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; agency_id: string }>(
      `UPDATE users SET disabled = $2, updated_at = now() WHERE ${WHO} RETURNING id, agency_id`,
      [who, disabled],
    );
    const user = rows[0];
    if (!user) throw new Error(`no person ${who}`);
    if (disabled) await client.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
    await auditUserChange(client, disabled ? 'user.disabled' : 'user.enabled', user.id, user.agency_id);
    return user.id;
  });
}

/** A new password (generated unless given) for a person; their sessions end. */
export async function resetPassword(pool: Pool, who: string, given?: string): Promise<IssuedPassword> {
  const password = given ?? generatePassword();
  const weak = passwordProblem(password);
  if (weak) throw new Error(weak);
  const passwordHash = await hashPassword(password);
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; email: string; agency_id: string }>(
      `UPDATE users SET password_hash = $2, updated_at = now() WHERE ${WHO} RETURNING id, email, agency_id`,
      [who, passwordHash],
    );
    const user = rows[0];
    if (!user) throw new Error(`no person ${who}`);
    await client.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
    await auditUserChange(client, 'user.password_reset', user.id, user.agency_id);
    return { userId: user.id, email: user.email, password };
  });
}

/** A person's second factor removed (a lost device): they enrol again at their next sign-in; their sessions end. */
export function resetTotp(pool: Pool, who: string): Promise<string> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; agency_id: string }>(
      `UPDATE users SET totp_secret_ciphertext = NULL, totp_secret_key_id = NULL, totp_enrolled_at = NULL, totp_last_step = NULL,
         updated_at = now() WHERE ${WHO} RETURNING id, agency_id`,
      [who],
    );
    const user = rows[0];
    if (!user) throw new Error(`no person ${who}`);
    // Kept, marked used: the next enrolment issues new ones.
    await client.query('UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [user.id]);
    await client.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
    await auditUserChange(client, 'user.totp_reset', user.id, user.agency_id);
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

/** Done by an operator (`npm run user`, or `npm start` creating the dev people), not over the API. */
const OPERATOR = { role: 'operator', userId: null };

export async function auditUserChange(
  client: PoolClient,
  action: UserChange,
  userId: string,
  agencyId: string,
  by: { role: string; userId: string | null } = OPERATOR,
): Promise<void> {
  const at = new Date().toISOString();
  const details = { userId };
  await appendAudit(client, {
    // A person may be disabled and enabled many times: each change is its own entry.
    entryKey: `${action}:${userId}:${randomUUID()}`,
    caseNumber: null,
    action,
    agencyId,
    role: by.role,
    userId: by.userId,
    requestId: null,
    requestHash: createHash('sha256').update(JSON.stringify({ action, agencyId, details, at })).digest('hex'),
    at,
    details,
  });
}
