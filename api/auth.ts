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

export function authenticate(pool: Pool): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match) throw unauthorized('Send the agency API key as `Authorization: Bearer <key>`');
    const { rows } = await pool.query<{ id: string; role: Role; region_code: string | null; upt_code: string | null }>(
      `SELECT a.id, a.role, a.region_code, a.upt_code FROM api_keys k JOIN agencies a ON a.id = k.agency_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hashApiKey(match[1]!)],
    );
    const agency = rows[0];
    if (!agency) throw unauthorized('Unknown or revoked API key');
    const actor: Actor = { agencyId: agency.id, role: agency.role, regionCode: agency.region_code, uptCode: agency.upt_code };
    res.locals.actor = actor;
    next();
  };
}

export function actorOf(res: { locals: Record<string, unknown> }): Actor {
  return res.locals.actor as Actor;
}
