/** With Temporal or PostgreSQL unreachable the API answers 503 with Retry-After, never 500. */
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { addAgency } from '../../api/agencies.js';
import { createApp } from '../../api/app.js';
import { createPool, type Pool } from '../../db/pool.js';
import { testDataConverter } from '../support/encryption.js';
import { agencyClient } from '../support/service.js';

let pool: Pool;
let deadPool: Pool;
let connection: Connection;
let baseUrl: string;
let deadDbUrl: string;
let close: () => void;

beforeAll(async () => {
  pool = createPool(inject('databaseUrl'), 2);
  deadPool = createPool('postgres://postgres@127.0.0.1:1/ppks', 1);
  connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
  const temporal = new Client({ connection, dataConverter: testDataConverter });
  const listen = (dbPool: Pool) => {
    const server = createApp({ pool: dbPool, temporal, taskQueue: 'unused', temporalDeadlineMs: 1000 }).listen(0, '127.0.0.1');
    return new Promise<{ url: string; server: typeof server }>((resolve) =>
      server.once('listening', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })),
    );
  };
  const [withDb, withoutDb] = await Promise.all([listen(pool), listen(deadPool)]);
  baseUrl = withDb.url;
  deadDbUrl = withoutDb.url;
  close = () => {
    withDb.server.close();
    withoutDb.server.close();
  };
});

afterAll(async () => {
  close?.();
  await Promise.allSettled([pool.end(), deadPool.end(), connection.close()]);
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
