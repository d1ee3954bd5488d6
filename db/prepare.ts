/**
 * Brings a database up to date: creates it when missing, runs the migrations
 * (node-pg-migrate, files in db/migrations) and upserts the reference data. As the owner of the
 * tables (DATABASE_OWNER_URL), not the runtime role the API and the worker use (DATABASE_URL).
 */
import path from 'node:path';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import { config, projectRoot } from '../config.js';
import { onServer } from './admin.js';
import { createPool, inTransaction } from './pool.js';
import { PPKS_TYPES } from '../domain/ppks-types.js';
import { REGIONS } from '../domain/regions.js';
import { seedCalendars } from './seed-calendars.js';
import { seedSlaPolicies } from './seed-sla-policies.js';
import { seedUpts } from './seed-upts.js';

export async function prepareDatabase(databaseUrl = config.databaseOwnerUrl): Promise<void> {
  await createDatabaseIfMissing(databaseUrl);
  await runner({
    databaseUrl,
    dir: path.join(projectRoot, 'db', 'migrations'),
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    // Two processes migrating at once (the API starting while an operator adds a person) take
    // turns: the second finds nothing left to do, instead of failing.
    advisoryLockMode: 'wait',
    log: () => {},
  });
  const pool = createPool(databaseUrl, 1);
  try {
    await inTransaction(pool, seedReferenceData);
  } finally {
    await pool.end();
  }
}

async function createDatabaseIfMissing(databaseUrl: string): Promise<void> {
  await onServer(databaseUrl, async (admin, name) => {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        // Created meanwhile by another process: 42P04 once it exists, 23505 when both creations raced in the catalog.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  });
}

async function seedReferenceData(client: pg.PoolClient): Promise<void> {
  for (const [code, name] of Object.entries(PPKS_TYPES)) {
    await client.query('INSERT INTO ppks_types (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name', [
      code,
      name,
    ]);
  }
  for (const [code, name] of Object.entries(REGIONS)) {
    await client.query('INSERT INTO regions (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name', [
      code,
      name,
    ]);
  }
  await seedUpts(client);
  await seedSlaPolicies(client);
  await seedCalendars(client);
}
