/**
 * `Authorization: Bearer <api key>`. Keys are random, shown once, and stored as SHA-256
 * hashes: a leaked database does not leak working keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Pool } from '../db/pool.js';
import type { Actor, Role } from '../domain/case.js';
import { unauthorized } from './problem.js';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');
export const newApiKey = () => `ppks_${randomBytes(32).toString('base64url')}`;

/** The agency holding a live API key, or null for an unknown or revoked key. */
export async function agencyForKey(pool: Pool, apiKey: string): Promise<Actor | null> {
  const { rows } = await pool.query<{ id: string; role: Role; region_code: string | null; upt_code: string | null }>(
    `SELECT a.id, a.role, a.region_code, a.upt_code FROM api_keys k JOIN agencies a ON a.id = k.agency_id
     WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
    [hashApiKey(apiKey)],
  );
  const agency = rows[0];
  return agency ? { agencyId: agency.id, role: agency.role, regionCode: agency.region_code, uptCode: agency.upt_code } : null;
}

/** The key sent as `Authorization: Bearer <key>`, if any. */
export function bearerKey(authorization: string | undefined): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? null;
}

export function authenticate(pool: Pool): RequestHandler {
  return async (req, res, next) => {
    const key = bearerKey(req.get('authorization'));
    if (!key) throw unauthorized('Send the agency API key as `Authorization: Bearer <key>`');
    const actor = await agencyForKey(pool, key);
    if (!actor) throw unauthorized('Unknown or revoked API key');
    res.locals.actor = actor;
    next();
  };
}

export function actorOf(res: { locals: Record<string, unknown> }): Actor {
  return res.locals.actor as Actor;
}
