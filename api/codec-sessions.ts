/**
 * Codec sessions: a supervisor pastes an API key into /codec/login once, and the browser then
 * sends a random token in an HttpOnly cookie with the Web UI's decode requests. Only the token's
 * SHA-256 is stored, and every use checks the key behind it again: revoking or expiring the key
 * ends its sessions at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from '../db/pool.js';
import type { Actor, Role } from '../domain/case.js';
import { hashApiKey } from './auth.js';

const SESSION_HOURS = 8;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new session for a live API key (the caller has checked it); expired sessions are cleared. */
export async function openCodecSession(pool: Pool, apiKey: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const { rows } = await pool.query<{ expires_at: Date }>(
    `WITH cleared AS (DELETE FROM codec_sessions WHERE expires_at <= now())
     INSERT INTO codec_sessions (token_hash, agency_id, api_key_id, expires_at)
     SELECT $1, k.agency_id, k.id, now() + make_interval(hours => $3) FROM api_keys k
     WHERE k.key_hash = $2 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
     RETURNING expires_at`,
    [hashToken(token), hashApiKey(apiKey), SESSION_HOURS],
  );
  if (!rows[0]) throw new Error('The API key stopped working while the codec session was opened');
  return { token, expiresAt: rows[0].expires_at };
}

/** The agency of a live session whose API key still works, or null. */
export async function agencyForCodecSession(pool: Pool, token: string): Promise<Actor | null> {
  const { rows } = await pool.query<{ id: string; role: Role; region_code: string | null; upt_code: string | null }>(
    `SELECT a.id, a.role, a.region_code, a.upt_code
     FROM codec_sessions s JOIN api_keys k ON k.id = s.api_key_id JOIN agencies a ON a.id = s.agency_id
     WHERE s.token_hash = $1 AND s.expires_at > now()
       AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`,
    [hashToken(token)],
  );
  const agency = rows[0];
  return agency ? { agencyId: agency.id, role: agency.role, regionCode: agency.region_code, uptCode: agency.upt_code } : null;
}
