/**
 * The worker's health endpoint, `GET /healthz` on WORKER_HEALTH_PORT (the Compose healthcheck
 * calls it): 200 while the worker runs (polls its task queue) and its Temporal connection
 * answers, 503 before it runs, while it shuts down, and when Temporal does not answer.
 */
import { createServer, type Server } from 'node:http';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { logger } from '../logger.js';
import { listen, metricsUrl } from './metrics-server.js';

/** Temporal's answer to a cheap call is awaited this long. */
const TEMPORAL_CHECK_MS = 2000;

export async function startWorkerHealthServer(worker: Worker, connection: NativeConnection, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/healthz') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Only GET /healthz here\n');
      return;
    }
    void health(worker, connection).then(({ healthy, ...body }) =>
      res.writeHead(healthy ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify(body)),
    );
  });
  await listen(server, host, port);
  logger.info({ url: metricsUrl(host, port, '/healthz') }, 'worker health listening');
  return server;
}

async function health(worker: Worker, connection: NativeConnection) {
  const state = worker.getState();
  if (state !== 'RUNNING') return { healthy: false, status: 'unavailable', state, temporal: null };
  const temporal = await connection
    .withDeadline(Date.now() + TEMPORAL_CHECK_MS, () => connection.workflowService.getSystemInfo({}))
    .then(
      () => true,
      () => false,
    );
  return { healthy: temporal, status: temporal ? 'ok' : 'unavailable', state, temporal };
}
