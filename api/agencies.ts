/**
 * Registering agencies and the lifecycle of their API keys: issue, list, rotate, revoke.
 * A key is returned once, when issued; only its SHA-256 hash is stored, and never listed.
 * Every change is written to the audit trail in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { inTransaction, type Pool } from '../db/pool.js';
import { jakartaTime, REGIONAL_ROLES, ROLES, type Role } from '../domain/case.js';
import { isRegionCode } from '../domain/regions.js';
import { auditKeyChange } from './agency-audit.js';
import { hashApiKey, newApiKey } from './auth.js';

export interface NewAgency {
  name: string;
  role: string;
  regionCode?: string;
  uptCode?: string;
  /** When the agency's first key stops working; never when absent. */
  keyExpiresAt?: Date;
}

export interface IssuedKey {
  agencyId: string;
  keyId: string;
  apiKey: string;
  expiresAt: string | null;
}

type KeyStatus = 'live' | 'expired' | 'revoked';

export interface AgencyListing {
  agencyId: string;
  name: string;
  role: Role;
  regionCode: string | null;
  uptCode: string | null;
  createdAt: string;
  keys: { keyId: string; createdAt: string; expiresAt: string | null; revokedAt: string | null; status: KeyStatus }[];
}

/** Long enough for an agency to switch its systems over to the new key. */
const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 60 * 60;

export async function addAgency(pool: Pool, agency: NewAgency): Promise<{ agencyId: string; apiKey: string }> {
  const role = agency.role as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (!agency.name.trim()) throw new Error('--name is required');
  const regional = REGIONAL_ROLES.includes(role);
  if (regional && !(agency.regionCode && isRegionCode(agency.regionCode))) {
    throw new Error(`--region (an East Java kab/kota code such as 35.78) is required for ${role}`);
  }
  if (!regional && agency.regionCode) throw new Error(`--region applies only to ${REGIONAL_ROLES.join(' and ')}`);
  if ((role === 'upt') !== (agency.uptCode !== undefined)) throw new Error('--upt is required for role upt, and only for it');
  checkExpiry(agency.keyExpiresAt);
  if (agency.uptCode) {
    const { rowCount } = await pool.query('SELECT 1 FROM upts WHERE code = $1', [agency.uptCode]);
    if (rowCount === 0) throw new Error(`unknown UPT ${agency.uptCode} (see GET /v1/upts)`);
  }
  const agencyId = `agency_${randomUUID()}`;
  const { apiKey } = await inTransaction(pool, async (client) => {
    await client.query('INSERT INTO agencies (id, name, role, region_code, upt_code) VALUES ($1, $2, $3, $4, $5)', [
      agencyId,
      agency.name.trim(),
      role,
      agency.regionCode ?? null,
      agency.uptCode ?? null,
    ]);
    const issued = await issueKey(client, agencyId, agency.keyExpiresAt);
    await auditKeyChange(client, 'agency.added', agencyId, {
      keyId: issued.keyId,
      role,
      regionCode: agency.regionCode ?? null,
      uptCode: agency.uptCode ?? null,
      expiresAt: issued.expiresAt,
    });
    return issued;
  });
  return { agencyId, apiKey };
}

/** Every agency with its keys, oldest first; a key's status is as of now. */
export async function listAgencies(pool: Pool): Promise<AgencyListing[]> {
  const { rows } = await pool.query<{
    id: string;
    name: string;
    role: Role;
    region_code: string | null;
    upt_code: string | null;
    created_at: Date;
    key_id: string | null;
    key_created_at: Date | null;
    expires_at: Date | null;
    revoked_at: Date | null;
    status: KeyStatus | null;
  }>(
    `SELECT a.id, a.name, a.role, a.region_code, a.upt_code, a.created_at,
       k.id AS key_id, k.created_at AS key_created_at, k.expires_at, k.revoked_at,
       CASE WHEN k.id IS NULL THEN NULL WHEN k.revoked_at IS NOT NULL THEN 'revoked'
            WHEN k.expires_at <= now() THEN 'expired' ELSE 'live' END AS status
     FROM agencies a LEFT JOIN api_keys k ON k.agency_id = a.id
     ORDER BY a.created_at, a.id, k.created_at, k.id`,
  );
  const agencies = new Map<string, AgencyListing>();
  for (const row of rows) {
    let agency = agencies.get(row.id);
    if (!agency) {
      agency = {
        agencyId: row.id,
        name: row.name,
        role: row.role,
        regionCode: row.region_code,
        uptCode: row.upt_code,
        createdAt: jakartaTime(row.created_at.getTime()),
        keys: [],
      };
      agencies.set(row.id, agency);
    }
    if (row.key_id) {
      agency.keys.push({
        keyId: row.key_id,
        createdAt: jakartaTime(row.key_created_at!.getTime()),
        expiresAt: timeOrNull(row.expires_at),
        revokedAt: timeOrNull(row.revoked_at),
        status: row.status!,
      });
    }
  }
  return [...agencies.values()];
}

/**
 * Issues a new key and lets the agency's other live keys work on for the grace period only
 * (never longer than they would have). Returns the new key, once, and when each old key ends.
 */
export async function rotateKey(
  pool: Pool,
  agencyId: string,
  { graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS, expiresAt }: { graceSeconds?: number; expiresAt?: Date } = {},
): Promise<IssuedKey & { previousKeys: { keyId: string; expiresAt: string }[] }> {
  if (!(Number.isFinite(graceSeconds) && graceSeconds >= 0)) throw new Error('--grace must not be negative');
  checkExpiry(expiresAt);
  return inTransaction(pool, async (client) => {
    // Locked so that two rotations at once cannot both leave their new key live.
    const agency = await client.query('SELECT 1 FROM agencies WHERE id = $1 FOR UPDATE', [agencyId]);
    if (agency.rowCount === 0) throw unknownAgency(agencyId);
    const { rows } = await client.query<{ id: string; expires_at: Date }>(
      `UPDATE api_keys SET expires_at = LEAST(expires_at, now() + make_interval(secs => $2))
       WHERE agency_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
       RETURNING id, expires_at`,
      [agencyId, graceSeconds],
    );
    const issued = await issueKey(client, agencyId, expiresAt);
    await auditKeyChange(client, 'api_key.rotated', agencyId, {
      keyId: issued.keyId,
      expiresAt: issued.expiresAt,
      graceSeconds,
      previousKeyIds: rows.map((row) => row.id).join(','),
    });
    return { ...issued, previousKeys: rows.map((row) => ({ keyId: row.id, expiresAt: jakartaTime(row.expires_at.getTime()) })) };
  });
}

/** Revokes one key, or every key of an agency, at once. Returns the keys it revoked now. */
export async function revokeKeys(pool: Pool, target: { agencyId: string } | { keyId: string }): Promise<{ revoked: string[] }> {
  const [column, id] = 'agencyId' in target ? ['agency_id', target.agencyId] : ['id', target.keyId];
  const known =
    'agencyId' in target
      ? await pool.query('SELECT 1 FROM agencies WHERE id = $1', [id])
      : await pool.query('SELECT 1 FROM api_keys WHERE id = $1', [id]);
  if (known.rowCount === 0) throw 'agencyId' in target ? unknownAgency(id) : new Error(`unknown key ${id} (see npm run agency -- list)`);
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; agency_id: string }>(
      `UPDATE api_keys SET revoked_at = now() WHERE ${column} = $1 AND revoked_at IS NULL RETURNING id, agency_id`,
      [id],
    );
    for (const row of rows) await auditKeyChange(client, 'api_key.revoked', row.agency_id, { keyId: row.id });
    return { revoked: rows.map((row) => row.id) };
  });
}

async function issueKey(client: PoolClient, agencyId: string, expiresAt: Date | undefined): Promise<IssuedKey> {
  const keyId = `key_${randomUUID()}`;
  const apiKey = newApiKey();
  await client.query('INSERT INTO api_keys (id, agency_id, key_hash, expires_at) VALUES ($1, $2, $3, $4)', [
    keyId,
    agencyId,
    hashApiKey(apiKey),
    expiresAt ?? null,
  ]);
  return { agencyId, keyId, apiKey, expiresAt: expiresAt ? jakartaTime(expiresAt.getTime()) : null };
}

function checkExpiry(expiresAt: Date | undefined): void {
  if (expiresAt && !(expiresAt.getTime() > Date.now())) throw new Error('--expires-in must lie in the future');
}

const unknownAgency = (agencyId: string) => new Error(`unknown agency ${agencyId} (see npm run agency -- list)`);
const timeOrNull = (time: Date | null) => (time ? jakartaTime(time.getTime()) : null);
