/**
 * With Temporal or PostgreSQL unreachable, or every database connection taken, the API answers
 * 503 with Retry-After, never 500 and never a request left hanging.
 */
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { addAgency } from '../../api/agencies.js';
import { createApp } from '../../api/app.js';
import { createPool, type Pool } from '../../db/pool.js';
import { testDataConverter } from '../support/encryption.js';
import { agencyClient } from '../support/service.js';

let pool: Pool;
let deadPool: Pool;
let busyPool: Pool;
let heldConnection: PoolClient;
let connection: Connection;
let baseUrl: string;
let deadDbUrl: string;
let busyDbUrl: string;
let close: () => void;

beforeAll(async () => {
  pool = createPool(inject('databaseUrl'), 2);
  deadPool = createPool('postgres://postgres@127.0.0.1:1/ppks', 1);
  // Its one connection is checked out for the whole file: every request waits for it.
  busyPool = createPool(inject('databaseUrl'), 1, 300);
  heldConnection = await busyPool.connect();
  connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
  const temporal = new Client({ connection, dataConverter: testDataConverter });
  const listen = (dbPool: Pool) => {
    const server = createApp({ pool: dbPool, temporal, taskQueue: 'unused', temporalDeadlineMs: 1000 }).listen(0, '127.0.0.1');
    return new Promise<{ url: string; server: typeof server }>((resolve) =>
      server.once('listening', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })),
    );
  };
  const servers = await Promise.all([listen(pool), listen(deadPool), listen(busyPool)]);
  [baseUrl, deadDbUrl, busyDbUrl] = servers.map((server) => server.url) as [string, string, string];
  close = () => servers.forEach(({ server }) => server.close());
});

afterAll(async () => {
  close?.();
  heldConnection?.release();
  await Promise.allSettled([pool.end(), deadPool.end(), busyPool.end(), connection.close()]);
});

it('answers 503 with Retry-After when Temporal is down', async () => {
  const { apiKey } = await addAgency(pool, { name: 'Supervisor outage test', role: 'supervisor' });
  const response = await agencyClient(baseUrl, apiKey).get('/v1/cases/3578-2026-000001');
  expect(response.status).toBe(503);
  expect(response.contentType).toContain('application/problem+json');
  expect(response.headers.get('retry-after')).toBe('5');
  expect((await fetch(`${baseUrl}/readyz`)).status).toBe(503);
});

it('answers 503 with Retry-After when PostgreSQL is down', async () => {
  const response = await agencyClient(deadDbUrl, 'ppks_any-key').get('/v1/upts');
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('5');
});

it('answers 503 with Retry-After when no database connection comes free in time', async () => {
  const response = await agencyClient(busyDbUrl, 'ppks_any-key').get('/v1/upts');
  expect(response.status).toBe(503);
  expect(response.contentType).toContain('application/problem+json');
  expect(response.headers.get('retry-after')).toBe('5');
});
