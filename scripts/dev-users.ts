/**
 * Local development only: one person per dev agency (scripts/dev-agencies.ts), their emails and
 * passwords written to `.data/dev-users.json` (mode 600, git-ignored) so that a developer can sign
 * in at once. Kept across restarts: a person of the file keeps their password, and moves to the
 * dev agency of their label when the dev agencies were issued again.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { passwordMatches } from '../api/passwords.js';
import { addUser, resetPassword } from '../api/users.js';
import { config } from '../config.js';
import { createPool, type Pool } from '../db/pool.js';

interface DevUser {
  userId: string;
  email: string;
  password: string;
}

/** Given the dev agencies' file (label → agency ID), the dev people's file; null when there are no dev agencies. */
export async function ensureDevUsers(agenciesFile: string | null): Promise<string | null> {
  if (agenciesFile === null) return null;
  const agencies: Record<string, { agencyId: string }> = JSON.parse(readFileSync(agenciesFile, 'utf8'));
  const file = path.join(config.dataDir, 'dev-users.json');
  const saved: Record<string, DevUser> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const pool = createPool(config.databaseUrl, 2);
  try {
    const users: Record<string, DevUser> = {};
    for (const [label, { agencyId }] of Object.entries(agencies)) {
      users[label] = await ensureDevUser(pool, `${label.replaceAll('_', '-')}@dev.ppks.example`, agencyId, saved[label]?.password);
    }
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
    return file;
  } finally {
    await pool.end();
  }
}

async function ensureDevUser(pool: Pool, email: string, agencyId: string, password: string | undefined): Promise<DevUser> {
  const { rows } = await pool.query<{ id: string; agency_id: string; password_hash: string }>(
    'SELECT id, agency_id, password_hash FROM users WHERE lower(email) = lower($1)',
    [email],
  );
  const existing = rows[0];
  if (!existing) return addUser(pool, { agencyId, name: `Dev person (${email.split('@')[0]})`, email, password });
  if (existing.agency_id !== agencyId) {
    await pool.query('UPDATE users SET agency_id = $2, disabled = false, updated_at = now() WHERE id = $1', [existing.id, agencyId]);
  }
  if (password !== undefined && (await passwordMatches(existing.password_hash, password))) return { userId: existing.id, email, password };
  return resetPassword(pool, existing.id, password);
}
