/**
 * The migration that encrypts webhook secrets (db/migrations/1765670400000_webhook-secret-encryption.ts),
 * run by node-pg-migrate as `npm run migrate` runs it, on a database of its own: clear secrets
 * stored before it come out sealed with the payload keyring and nothing clear stays; down
 * brings them back; without the keys it changes nothing.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { projectRoot } from '../../config.js';
import { dropDatabase, onServer } from '../../db/admin.js';
import { loadPayloadKeyring } from '../../encryption/keys.js';
import { WebhookSecrets } from '../../encryption/webhook-secrets.js';
import * as migration from '../../db/migrations/1765670400000_webhook-secret-encryption.js';

const MIGRATION = 1765670400000;
const run = promisify(execFile);
const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
const url = new URL(inject('databaseUrl'));
url.pathname = `${url.pathname}_secret_migration`;
const databaseUrl = url.toString();
let client: pg.Client;

const migrate = (direction: 'up' | 'down', timestamp: number) =>
  runner({
    databaseUrl,
    dir: path.join(projectRoot, 'db', 'migrations'),
    direction,
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    // Up: every migration up to this timestamp; down: every one from it.
    timestamp: true,
    count: timestamp,
    log: () => {},
  });

beforeAll(async () => {
  await dropDatabase(databaseUrl);
  await onServer(databaseUrl, (admin, name) => admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  await migrate('up', MIGRATION - 1);
  client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await dropDatabase(databaseUrl);
});

it('has a down of its own: without one, node-pg-migrate would try to reverse up and fail', () => {
  expect(Object.keys(migration).sort()).toEqual(['down', 'up']);
});

it('seals every clear secret, drops the clear column, and down restores them', async () => {
  await client.query(`INSERT INTO agencies (id, name, role) VALUES ('agency_m', 'Supervisor', 'supervisor')`);
  const before = [
    { id: 'webhook_m1', secret: 'clear-secret-one-4f1a9c' },
    { id: 'webhook_m2', secret: "clear 'secret' two \\ 7d2e" },
  ];
  for (const { id, secret } of before) {
    await client.query('INSERT INTO webhooks (id, url, secret, created_by) VALUES ($1, $2, $3, $4)', [
      id,
      'https://receiver.example.org/',
      secret,
      'agency_m',
    ]);
  }

  await migrate('up', MIGRATION);
  const columns = await client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'webhooks' ORDER BY column_name`,
  );
  expect(columns.rows.map((row) => row.column_name)).toEqual(expect.arrayContaining(['secret_ciphertext', 'secret_key_id', 'url']));
  expect(columns.rows.map((row) => row.column_name)).not.toContain('secret');
  const { rows } = await client.query<{ id: string; secret_ciphertext: Buffer; secret_key_id: string }>(
    'SELECT * FROM webhooks ORDER BY id',
  );
  const keyring = loadPayloadKeyring();
  const secrets = new WebhookSecrets(keyring);
  expect(rows).toHaveLength(before.length);
  for (const [index, row] of rows.entries()) {
    expect(row.secret_key_id).toBe(keyring.currentKeyId);
    expect(row.secret_ciphertext.includes(Buffer.from(before[index]!.secret))).toBe(false);
    expect(JSON.stringify(row)).not.toContain(before[index]!.secret);
    expect(await secrets.open(row.id, row.secret_ciphertext)).toBe(before[index]!.secret);
  }

  await migrate('down', MIGRATION);
  const restored = await client.query<{ id: string; secret: string }>('SELECT id, secret FROM webhooks ORDER BY id');
  expect(restored.rows).toEqual(before);
});

it('in production without PPKS_PAYLOAD_KEYS, stops with clear secrets to seal and changes nothing; with none, needs no key', async () => {
  const migrateCommand = () =>
    run(tsx, [path.join(projectRoot, 'scripts', 'migrate.ts')], {
      cwd: projectRoot,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        DATABASE_OWNER_URL: databaseUrl,
        NODE_ENV: 'production',
        PPKS_PAYLOAD_KEYS: '',
        PPKS_PAYLOAD_KEY_ID: '',
      },
    });
  // The first test left the clear secrets as they were before the migration.
  await expect(migrateCommand()).rejects.toMatchObject({ stderr: expect.stringContaining('PPKS_PAYLOAD_KEYS is not set') });
  const secretColumn = `SELECT 1 FROM information_schema.columns WHERE table_name = 'webhooks' AND column_name = 'secret'`;
  expect((await client.query(secretColumn)).rows).toHaveLength(1);
  expect((await client.query('SELECT secret FROM webhooks ORDER BY id')).rows).toHaveLength(2);
  expect((await client.query('SELECT 1 FROM pgmigrations WHERE name LIKE $1', [`${MIGRATION}_%`])).rows).toHaveLength(0);

  await client.query('DELETE FROM webhooks');
  await migrateCommand();
  expect((await client.query(secretColumn)).rows).toHaveLength(0);
  expect((await client.query('SELECT 1 FROM pgmigrations WHERE name LIKE $1', [`${MIGRATION}_%`])).rows).toHaveLength(1);
});
