/**
 * The worker process stopping during a rollout (`worker/main.ts` in node, its own database, the suite's
 * dev server). The activity in flight is an alert's delivery to a webhook that takes 3 s to answer,
 * the one activity that gives up when the worker cancels it: with WORKER_SHUTDOWN_GRACE (30s) it
 * completes after SIGTERM, and the worker then exits 0; with a grace of 0 the same delivery is cut.
 * A malformed grace, or half a Worker Deployment Version, stops the start naming the variable.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alertActivities } from '../../activities/database/alerts.js';
import { alertDeliveryStarter, alertDeliveryWorkflowId } from '../../activities/temporal/alert-delivery.js';
import { addAgency } from '../../api/agencies.js';
import { dropDatabase } from '../../db/admin.js';
import { createPool, type Pool } from '../../db/pool.js';
import { prepareDatabase } from '../../db/prepare.js';
import { parsePayloadKeys } from '../../encryption/keys.js';
import { WebhookSecrets } from '../../encryption/webhook-secrets.js';
import { auditExportScheduleId } from '../../worker/audit-export-schedule.js';
import { ownNamespaces } from '../support/own-namespaces.js';
import { testDataConverter, testPayloadKeys } from '../support/encryption.js';
import { eventually } from '../support/service.js';
import { startNode, type NodeProcess } from '../support/processes.js';

const databaseUrl = (() => {
  const url = new URL(inject('databaseUrl'));
  url.pathname = `${url.pathname}_worker_stop`;
  return url.toString();
})();
const dataDir = mkdtempSync(path.join(tmpdir(), 'ppks-worker-stop-'));
/** How long the webhook takes to answer: longer than a grace of 0, far shorter than 30 s. */
const ANSWER_AFTER_MS = 3_000;
const RETRY = { initialIntervalMs: 60_000, maximumIntervalMs: 60_000, maximumAttempts: 2 };

let pool: Pool;
let connection: Connection;
let temporal: Client;
const started: ChildProcess[] = [];
const taskQueues: string[] = [];
const alerts: string[] = [];

/** A webhook that answers 200 after ANSWER_AFTER_MS, unless the request is cut before. */
const webhook = (() => {
  const arrivals: ((delivery: { outcome: Promise<'answered' | 'cut'> }) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const outcome = new Promise<'answered' | 'cut'>((resolve) => {
      const timer = setTimeout(() => {
        res.writeHead(200).end();
        resolve('answered');
      }, ANSWER_AFTER_MS);
      res.once('close', () => {
        clearTimeout(timer);
        resolve(res.writableFinished ? 'answered' : 'cut');
      });
    });
    req.resume();
    arrivals.shift()?.({ outcome });
  });
  return {
    server,
    /** Resolves when the next delivery arrives, with how it ends (wrapped: a promise resolved with a promise waits for it). */
    nextDelivery: () => new Promise<{ outcome: Promise<'answered' | 'cut'> }>((resolve) => arrivals.push(resolve)),
  };
})();

/** The worker process on a task queue of its own. */
function startWorker(env: Record<string, string>): NodeProcess {
  const taskQueue = `ppks-test-${randomUUID()}`;
  taskQueues.push(taskQueue);
  const worker = startNode(['--import', 'tsx', 'worker/main.ts'], {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: ownNamespaces.workerShutdown,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PPKS_PAYLOAD_KEYS: testPayloadKeys,
    PPKS_DATA_DIR: dataDir,
    WEBHOOK_ALLOWED_DESTINATIONS: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...env,
  });
  started.push(worker.child);
  return worker;
}

async function polling(worker: { child: ChildProcess; output: () => string }): Promise<void> {
  await eventually(async () => {
    if (worker.child.exitCode !== null) throw new Error(`the worker exited early:\n${worker.output()}`);
    expect(worker.output()).toContain('"msg":"worker polling"');
  }, 90_000);
}

/** Raises an alert as a case would; its delivery runs on the worker of `taskQueue`. */
async function raiseAlert(taskQueue: string): Promise<string> {
  const raise = alertActivities(pool, alertDeliveryStarter(temporal, taskQueue, RETRY)).raiseAlert;
  const { alertId } = await raise({
    alertKey: `worker-stop-test/${randomUUID()}`,
    kind: 'sla_breach',
    caseNumber: '3578-2026-900002',
    stage: 'identification',
    step: 'identification',
    level: 1,
    recipientRole: 'dukcapil',
    regionCode: null,
    uptCode: null,
    dueAt: '2026-11-22T21:15:00+07:00',
  });
  alerts.push(alertId);
  return alertId;
}

const delivery = async (alertId: string) =>
  (await pool.query('SELECT status, attempts, last_status_code FROM alert_deliveries WHERE alert_id = $1', [alertId])).rows;

beforeAll(async () => {
  await dropDatabase(databaseUrl);
  await prepareDatabase(databaseUrl);
  pool = createPool(databaseUrl, 2);
  // Delivery workflows are named by alert ID, and this database numbers its alerts from 1 as the
  // suite's does, against the same Temporal server: numbered far from them, the names are its own.
  await pool.query("SELECT setval('alerts_id_seq', $1)", [1e12 + Math.floor(Math.random() * 1e9)]);
  connection = await Connection.connect({ address: inject('temporalAddress') });
  temporal = new Client({ connection, namespace: ownNamespaces.workerShutdown, dataConverter: testDataConverter });
  await new Promise<void>((resolve) => webhook.server.listen(0, '127.0.0.1', resolve));
  const { agencyId } = await addAgency(pool, { name: 'Worker stop test supervisor', role: 'supervisor' });
  const id = `webhook_${randomUUID()}`;
  const sealed = await new WebhookSecrets(parsePayloadKeys(testPayloadKeys)).seal(id, 'worker-stop-test-secret');
  await pool.query('INSERT INTO webhooks (id, url, secret_ciphertext, secret_key_id, created_by) VALUES ($1, $2, $3, $4, $5)', [
    id,
    `http://127.0.0.1:${(webhook.server.address() as AddressInfo).port}/alerts`,
    sealed.ciphertext,
    sealed.keyId,
    agencyId,
  ]);
});

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const alertId of alerts)
    await temporal.workflow
      .getHandle(alertDeliveryWorkflowId(alertId))
      .terminate('test done')
      .catch(() => {});
  for (const taskQueue of taskQueues)
    await temporal.schedule
      .getHandle(auditExportScheduleId(taskQueue))
      .delete()
      .catch(() => {});
  webhook.server.closeAllConnections();
  webhook.server.close();
  await connection?.close();
  await pool?.end();
});

describe('the worker stopping on SIGTERM', () => {
  it('lets the activity in flight finish within WORKER_SHUTDOWN_GRACE, then exits 0', async () => {
    const worker = startWorker({ WORKER_SHUTDOWN_GRACE: '30s' });
    await polling(worker);
    const arrived = webhook.nextDelivery();
    const alertId = await raiseAlert(taskQueues.at(-1)!);
    const { outcome } = await arrived;
    worker.child.kill('SIGTERM');
    const signalledAt = Date.now();

    expect(await outcome).toBe('answered');
    // The answer came after the signal: the activity was in flight when the worker began to stop.
    expect(Date.now() - signalledAt).toBeGreaterThan(ANSWER_AFTER_MS / 2);
    expect(await worker.exited).toBe(0);
    expect(await delivery(alertId)).toEqual([{ status: 'delivered', attempts: 1, last_status_code: 200 }]);
    // And Temporal heard of it before the worker left: the delivery will not be sent again.
    const { events } = await temporal.workflow.getHandle(alertDeliveryWorkflowId(alertId)).fetchHistory();
    expect(events!.filter((event) => event.activityTaskCompletedEventAttributes)).toHaveLength(2); // pendingDeliveries, deliverToWebhook
  }, 120_000);

  it('cuts it at once with a grace of 0', async () => {
    const worker = startWorker({ WORKER_SHUTDOWN_GRACE: '0s' });
    await polling(worker);
    const arrived = webhook.nextDelivery();
    const alertId = await raiseAlert(taskQueues.at(-1)!);
    const { outcome } = await arrived;
    worker.child.kill('SIGTERM');

    expect(await outcome).toBe('cut');
    expect(await worker.exited).toBe(0);
    expect(await delivery(alertId)).toEqual([{ status: 'pending', attempts: 1, last_status_code: null }]);
  }, 120_000);
});

describe('the worker refusing to start', () => {
  it.each([
    [{ WORKER_SHUTDOWN_GRACE: 'soon' }, 'WORKER_SHUTDOWN_GRACE must be a duration such as 30s'],
    [{ TEMPORAL_WORKER_BUILD_ID: 'ppks-2026.12.1' }, 'TEMPORAL_WORKER_BUILD_ID is set but TEMPORAL_DEPLOYMENT_NAME is not'],
  ])('%o', async (env, message) => {
    const worker = startWorker(env);
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain(message);
  });
});
