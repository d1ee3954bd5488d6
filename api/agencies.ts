/** Registering agencies and issuing their API keys (the key is returned once, stored hashed). */
import { randomUUID } from 'node:crypto';
import { inTransaction, type Pool } from '../db/pool.js';
import { REGIONAL_ROLES, ROLES, type Role } from '../domain/case.js';
import { isRegionCode } from '../domain/regions.js';
import { hashApiKey, newApiKey } from './auth.js';

export interface NewAgency {
  name: string;
  role: string;
  regionCode?: string;
  uptCode?: string;
}

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
  if (agency.uptCode) {
    const { rowCount } = await pool.query('SELECT 1 FROM upts WHERE code = $1', [agency.uptCode]);
    if (rowCount === 0) throw new Error(`unknown UPT ${agency.uptCode} (see GET /v1/upts)`);
  }
  const agencyId = `agency_${randomUUID()}`;
  const apiKey = newApiKey();
  await inTransaction(pool, async (client) => {
    await client.query('INSERT INTO agencies (id, name, role, region_code, upt_code) VALUES ($1, $2, $3, $4, $5)', [
      agencyId, agency.name.trim(), role, agency.regionCode ?? null, agency.uptCode ?? null,
    ]);
    await client.query('INSERT INTO api_keys (id, agency_id, key_hash) VALUES ($1, $2, $3)', [`key_${randomUUID()}`, agencyId, hashApiKey(apiKey)]);
  });
  return { agencyId, apiKey };
}
