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
import { ROLE_AGENCIES, ROLES } from '../domain/case.js';

/** Where the dev agencies of place-bound roles are: Kota Surabaya, and a UPT in Sidoarjo. */
const DEV_PLACE = { region: { regionCode: '35.78' }, upt: { uptCode: 'balai_prs_pmks_sidoarjo' } } as const;

/**
 * One agency per role (named after the role's agency, so a new role gets one), and a second kab/kota
 * Dinsos so that a case can go home to another region.
 */
const DEV_AGENCIES: Record<string, NewAgency> = {
  ...Object.fromEntries(
    ROLES.map((role) => {
      const { agency, tiedTo } = ROLE_AGENCIES[role];
      return [role, { name: `${agency} (dev)`, role, ...(tiedTo ? DEV_PLACE[tiedTo] : {}) }];
    }),
  ),
  dinsos_kabkota_jember: { name: 'Dinsos Kabupaten Jember (dev)', role: 'dinsos_kabkota', regionCode: '35.09' },
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
