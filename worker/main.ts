/** The worker process: `npm run worker`, started by `npm start`. Stops cleanly on SIGINT/SIGTERM. */
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadAuditSigningKey } from '../audit/signing-key.js';
import { config } from '../config.js';
import { createPool } from '../db/pool.js';
import { encryptingDataConverter } from '../encryption/data-converter.js';
import { logger } from '../logger.js';
import { installTracing } from '../observability/tracing.js';
import { startWorkerHealthServer } from '../observability/worker-health.js';
import { installWorkerRuntime } from '../observability/worker-runtime.js';
import { connectWithRetry, temporalConnectionOptions } from '../temporal-connection.js';
import { ensureAuditExportSchedule } from './audit-export-schedule.js';
import { createCaseWorker } from './create-worker.js';

// First: a missing or malformed payload key stops the process before it touches anything.
const dataConverter = encryptingDataConverter();
// So is a missing audit signing key in production (and locally the dev key is made now).
loadAuditSigningKey();
// Observability, before any connection: the SDK's metrics endpoint and logs (through pino), then tracing.
const metricsUrl = installWorkerRuntime();
const tracing = installTracing('ppks-worker');
const connectionOptions = temporalConnectionOptions();
const connection = await connectWithRetry(() => NativeConnection.connect(connectionOptions));
const pool = createPool();
const worker = await createCaseWorker({ connection, pool, dataConverter });
const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter });
await ensureAuditExportSchedule(client, { taskQueue: config.taskQueue, interval: config.auditExportInterval });
logger.info({ every: config.auditExportInterval, exportDir: config.auditExportDir }, 'audit export scheduled');
const health = await startWorkerHealthServer(worker, connection, config.workerHealthHost, config.workerHealthPort);
logger.info({ taskQueue: config.taskQueue, address: config.temporalAddress, metrics: metricsUrl }, 'worker polling');
try {
  await worker.run();
} finally {
  health.close();
  await tracing.shutdown();
  await connection.close();
  await pool.end();
}
