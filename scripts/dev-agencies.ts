/**
 * Local development only: one agency per role, with keys written to `.data/dev-api-keys.json`
 * (git-ignored) so a new user can drive a case with curl at once. Never in production
 * (NODE_ENV=production) or when PPKS_DEV_AGENCIES=false.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { addAgency, type NewAgency } from '../api/agencies.js';
import { hashApiKey } from '../api/auth.js';
import { config } from '../config.js';
import { createPool } from '../db/pool.js';

const DEV_AGENCIES: Record<string, NewAgency> = {
  satpol_pp: { name: 'Satpol PP Kota Surabaya (dev)', role: 'satpol_pp', regionCode: '35.78' },
  dinsos_kabkota: { name: 'Dinsos Kota Surabaya (dev)', role: 'dinsos_kabkota', regionCode: '35.78' },
  dinsos_kabkota_jember: { name: 'Dinsos Kabupaten Jember (dev)', role: 'dinsos_kabkota', regionCode: '35.09' },
  dukcapil: { name: 'Dispendukcapil (dev)', role: 'dukcapil' },
  dinsos_prov: { name: 'Dinsos Provinsi Jawa Timur (dev)', role: 'dinsos_prov' },
  upt: { name: 'Balai PRS PMKS Sidoarjo (dev)', role: 'upt', uptCode: 'balai_prs_pmks_sidoarjo' },
  dinkes: { name: 'Dinas Kesehatan Provinsi Jawa Timur (dev)', role: 'dinkes' },
  supervisor: { name: 'Dinsos Jatim supervisor (dev)', role: 'supervisor' },
  auditor: { name: 'Inspektorat auditor (dev)', role: 'auditor' },
};

export async function ensureDevAgencies(): Promise<string | null> {
  if (process.env.NODE_ENV === 'production' || process.env.PPKS_DEV_AGENCIES === 'false') return null;
  const file = path.join(config.dataDir, 'dev-api-keys.json');
  const pool = createPool(config.databaseUrl, 2);
  try {
    // Issued again when a dev agency was added to the list since, or a key stopped working.
    const saved = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
    if (saved && Object.keys(DEV_AGENCIES).every((label) => label in saved) && (await allKeysValid(pool, saved))) return file;
    const keys: Record<string, { agencyId: string; apiKey: string }> = {};
    for (const [label, agency] of Object.entries(DEV_AGENCIES)) keys[label] = await addAgency(pool, agency);
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    return file;
  } finally {
    await pool.end();
  }
}

async function allKeysValid(pool: ReturnType<typeof createPool>, keys: Record<string, { apiKey: string }>): Promise<boolean> {
  const hashes = Object.values(keys).map((entry) => hashApiKey(entry.apiKey));
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM api_keys WHERE key_hash = ANY($1) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())',
    [hashes],
  );
  return rows[0]!.n === Object.keys(DEV_AGENCIES).length && hashes.length === rows[0]!.n;
}
