/**
 * The API process stopping during a rollout (`api/main.ts` in node, against the suite's dev server and
 * database): on SIGTERM an intake in flight, waiting in Temporal for a worker, still gets its 201, while
 * requests that come after it get 503 problem+json with Retry-After and the health endpoints say
 * `draining`; then the process exits 0. API_SHUTDOWN_GRACE bounds the wait.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { addAgency } from '../../api/agencies.js';
import { createPool, type Pool } from '../../db/pool.js';
import { freePort } from '../../scripts/free-port.js';
import { bundleCaseWorkflows, createCaseWorker } from '../../worker/create-worker.js';
import { testDataConverter, testPayloadKeys } from '../support/encryption.js';
import { agencyClient, eventually, quietTemporalRuntime } from '../support/service.js';
import { startNode, type NodeProcess } from '../support/processes.js';

// The suite's database: case numbers (and so workflow IDs on the shared Temporal server) come from its sequences.
const databaseUrl = inject('databaseUrl');
const dataDir = mkdtempSync(path.join(tmpdir(), 'ppks-draining-'));
const intake = { ppksType: 'gelandangan', foundAt: '2026-11-25T10:00:00+07:00', foundRegion: '35.78', person: { sex: 'M' } };
let pool: Pool | undefined;
let workflowBundle: WorkflowBundle;
const started: ChildProcess[] = [];

/** Its output: what it logged (warnings and errors, the suite's LOG_LEVEL), for a failure's message. */
interface Api extends NodeProcess {
  url: string;
  taskQueue: string;
}

/** The API process on a free port, with a task queue no worker polls (yet); resolves once it answers. */
async function startApi(grace: string): Promise<Api> {
  const port = await freePort();
  const taskQueue = `ppks-test-${randomUUID()}`;
  const api = startNode(['--import', 'tsx', 'api/main.ts'], {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    PPKS_PAYLOAD_KEYS: testPayloadKeys,
    PPKS_DATA_DIR: dataDir,
    API_SHUTDOWN_GRACE: grace,
  });
  started.push(api.child);
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    if (api.child.exitCode !== null) throw new Error(`the API exited early:\n${api.output()}`);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 60_000);
  return { ...api, url, taskQueue };
}

/** A Satpol PP of Surabaya's client of the API; registered once the API has migrated the database. */
async function satpolOf(api: Api) {
  pool ??= createPool(databaseUrl, 2);
  const { apiKey } = await addAgency(pool, { name: `Draining test Satpol PP ${randomUUID()}`, role: 'satpol_pp', regionCode: '35.78' });
  return agencyClient(api.url, apiKey);
}

/** Sends an intake that waits in Temporal, as no worker polls the API's task queue; resolves once it is in flight there. */
async function intakeInFlight(api: Api) {
  const satpol = await satpolOf(api);
  const key = randomUUID();
  const response = satpol.post('/v1/cases', intake, { 'Idempotency-Key': key });
  response.catch(() => {}); // awaited by the test; cut in one of them
  // The API claims the case number, then starts the case and waits for its first answer.
  await eventually(async () => {
    expect((await pool!.query('SELECT 1 FROM intake_requests WHERE idempotency_key = $1', [key])).rowCount).toBe(1);
  });
  return { satpol, response };
}

beforeAll(async () => {
  quietTemporalRuntime();
  workflowBundle = await bundleCaseWorkflows();
});

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await pool?.end();
});

it('finishes the request in flight, answers new ones 503 with Retry-After, reports draining, then exits 0', async () => {
  const api = await startApi('20s');
  // Made now, polling only later: the intake waits on Temporal for 10 s at most.
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await createCaseWorker({
    connection,
    pool: (pool ??= createPool(databaseUrl, 2)),
    taskQueue: api.taskQueue,
    workflowBundle,
    dataConverter: testDataConverter,
  });
  const { satpol, response } = await intakeInFlight(api);

  api.child.kill('SIGTERM');
  const ready = await eventually(async () => {
    const answer = await fetch(`${api.url}/readyz`);
    expect(answer.status).toBe(503);
    return answer;
  });
  expect(ready.headers.get('retry-after')).toBe('5');
  expect(await ready.json()).toEqual({ status: 'draining' });
  const live = await fetch(`${api.url}/healthz`);
  expect([live.status, await live.json()]).toEqual([200, { status: 'draining' }]);

  const refused = await satpol.get('/v1/cases');
  expect(refused.status).toBe(503);
  expect(refused.contentType).toContain('application/problem+json');
  expect(refused.headers.get('retry-after')).toBe('5');
  expect(refused.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
  expect(api.child.exitCode).toBeNull();

  // A worker comes up for the case: the intake that was in flight when the signal came is answered.
  await worker.runUntil(async () => {
    const opened = await response;
    expect(opened.status, api.output()).toBe(201);
    expect(opened.body.stage).toBe('identification');
    expect(await api.exited).toBe(0);
  });
  await connection.close();
  await expect(fetch(`${api.url}/healthz`)).rejects.toThrow();
}, 120_000);

it('cuts what is still in flight when API_SHUTDOWN_GRACE is over, and exits', async () => {
  const api = await startApi('1s');
  const { response } = await intakeInFlight(api);
  const signalled = Date.now();
  api.child.kill('SIGTERM');
  expect(await api.exited).toBe(0);
  // Long before the intake's own limit (10 s waiting on Temporal) would have answered it.
  expect(Date.now() - signalled).toBeLessThan(5_000);
  await expect(response).rejects.toThrow();
}, 120_000);
