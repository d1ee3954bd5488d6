/**
 * TOTP second factor (RFC 6238 via otplib, 30-second steps, 6 digits): enrolment, codes and
 * recovery codes (issue 15). The shared secret is sealed for its person with the payload keyring
 * (encryption/sealed-secrets.ts), never stored in clear. A code is accepted one step either side
 * of now (clock drift), and only for a step later than the last one accepted, so a code seen over
 * someone's shoulder cannot be used again. Recovery codes are random, shown once, stored as
 * SHA-256 hashes (like API keys: too random to guess, so no slow hash is needed) and used once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import type { PoolClient } from 'pg';
import { inTransaction, type Pool } from '../db/pool.js';
import type { Actor } from '../domain/case.js';
import type { PayloadKeyring } from '../encryption/keys.js';
import { SealedSecrets } from '../encryption/sealed-secrets.js';
import { conflict } from './problem.js';
import { auditUserChange } from './users.js';

const ISSUER = 'PPKS Jatim';
/** One 30-second step either side of the server's clock. */
const TOLERANCE_SECONDS = 30;
const RECOVERY_CODE_COUNT = 10;

export const totpSecrets = (keyring: PayloadKeyring) => new SealedSecrets(keyring, { metadata: 'user-id', kind: 'person' });

/** A new secret for a person not yet enrolled, replacing any enrolment started before; shown once. */
export async function startEnrolment(pool: Pool, secrets: SealedSecrets, userId: string): Promise<{ secret: string; otpauthUri: string }> {
  const secret = generateSecret();
  const sealed = await secrets.seal(userId, secret);
  const { rows } = await pool.query<{ email: string }>(
    `UPDATE users SET totp_secret_ciphertext = $2, totp_secret_key_id = $3, totp_last_step = NULL
     WHERE id = $1 AND totp_enrolled_at IS NULL RETURNING email`,
    [userId, sealed.ciphertext, sealed.keyId],
  );
  if (!rows[0]) throw conflict('A second factor is enrolled already; after losing the device, ask an operator to reset it');
  return { secret, otpauthUri: generateURI({ issuer: ISSUER, label: rows[0].email, secret }) };
}

/**
 * Whether `code` is the person's current TOTP code (of the enrolment being confirmed, or of the
 * enrolled one), not used before; accepting it uses it up. A 409 when there is no such secret.
 */
export async function totpCodeMatches(
  pool: Pool,
  secrets: SealedSecrets,
  userId: string,
  code: string,
  stage: 'enrolling' | 'enrolled',
): Promise<boolean> {
  const { rows } = await pool.query<{ ciphertext: Buffer | null; key_id: string | null; enrolled: boolean; last_step: string | null }>(
    `SELECT totp_secret_ciphertext AS ciphertext, totp_secret_key_id AS key_id, totp_enrolled_at IS NOT NULL AS enrolled,
       totp_last_step AS last_step
     FROM users WHERE id = $1`,
    [userId],
  );
  const user = rows[0];
  if (!user?.ciphertext || user.enrolled !== (stage === 'enrolled')) {
    throw conflict(
      stage === 'enrolled'
        ? 'No second factor is enrolled: enrol one (POST /v1/session/totp/enrolment)'
        : 'No enrolment has been started (POST /v1/session/totp/enrolment), or it is confirmed already',
    );
  }
  const secret = await secrets.open(userId, user.ciphertext);
  const lastStep = user.last_step === null ? undefined : Number(user.last_step);
  const result = await verify({ secret, token: code, epochTolerance: TOLERANCE_SECONDS, afterTimeStep: lastStep });
  // otplib's functional verify answers for HOTP too; a TOTP result names its time step.
  if (!result.valid || !('timeStep' in result)) return false;
  // After a payload key rotation the secret is sealed again under the current key, as webhook secrets are.
  const resealed = user.key_id === secrets.currentKeyId ? null : await secrets.seal(userId, secret);
  // Compared and set in one statement: of two requests with the same code, one wins.
  const used = await pool.query(
    `UPDATE users SET totp_last_step = $2, totp_secret_ciphertext = coalesce($3, totp_secret_ciphertext),
       totp_secret_key_id = coalesce($4, totp_secret_key_id)
     WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
    [userId, result.timeStep, resealed?.ciphertext ?? null, resealed?.keyId ?? null],
  );
  return used.rowCount === 1;
}

/** Enrolment confirmed: the person's recovery codes (shown once), audited as the person's act. */
export function confirmEnrolment(pool: Pool, userId: string, actor: Actor): Promise<string[]> {
  return inTransaction(pool, async (client) => {
    const { rowCount } = await client.query(
      'UPDATE users SET totp_enrolled_at = now(), updated_at = now() WHERE id = $1 AND totp_enrolled_at IS NULL',
      [userId],
    );
    if (rowCount !== 1) throw conflict('The enrolment is confirmed already');
    const codes = await issueRecoveryCodes(client, userId);
    await auditUserChange(client, 'user.totp_enrolled', userId, actor.agencyId, { role: actor.role, userId });
    return codes;
  });
}

const hashCode = (code: string) => createHash('sha256').update(normalised(code)).digest('hex');
/** As typed from paper: any case, with or without the dash and spaces. */
const normalised = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

/** Ten codes of 64 random bits each, as `xxxx-xxxx-xxxx-xxxx` in lower-case hex. */
async function issueRecoveryCodes(client: PoolClient, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => (randomBytes(8).toString('hex').match(/.{4}/g) ?? []).join('-'));
  await client.query('INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])', [userId, codes.map(hashCode)]);
  return codes;
}

/** Whether `code` is one of the person's unused recovery codes; using it marks it used for good. */
export async function useRecoveryCode(pool: Pool, userId: string, code: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE recovery_codes r SET used_at = now() FROM users u
     WHERE r.user_id = $1 AND r.code_hash = $2 AND r.used_at IS NULL AND u.id = r.user_id AND u.totp_enrolled_at IS NOT NULL`,
    [userId, hashCode(code)],
  );
  return rowCount === 1;
}
