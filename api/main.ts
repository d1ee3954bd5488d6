/** The API process: `npm run api`, started by `npm start`. Migrates the database, then listens. */
import { Client, Connection } from '@temporalio/client';
import { config } from '../config.js';
import { createPool } from '../db/pool.js';
import { prepareDatabase } from '../db/prepare.js';
import { encryptingDataConverter } from '../encryption/data-converter.js';
import { logger } from '../logger.js';
import { temporalConnectionOptions } from '../temporal-connection.js';
import { apiMetricsRegistry } from '../observability/api-metrics.js';
import { startMetricsServer } from '../observability/metrics-server.js';
import { installTracing, tracingClientInterceptors } from '../observability/tracing.js';
import { createApp } from './app.js';
import { apiTemporalInterceptors } from './temporal-retries.js';

// First: a missing or malformed payload key stops the process before it touches anything.
const dataConverter = encryptingDataConverter();
// Before the Temporal client is made, so that its calls are traced.
const tracing = installTracing('ppks-api');
await prepareDatabase();
const pool = createPool();
// Lazy: the API starts (and answers 503) even while Temporal is down.
const connection = Connection.lazy({ ...temporalConnectionOptions(), interceptors: apiTemporalInterceptors });
const temporal = new Client({ connection, namespace: config.temporalNamespace, dataConverter, interceptors: tracingClientInterceptors });
const metricsServer = await startMetricsServer(apiMetricsRegistry(pool), config.apiMetricsHost, config.apiMetricsPort);
const server = createApp({ pool, temporal, taskQueue: config.taskQueue }).listen(config.port, () => {
  logger.info({ port: config.port }, 'API listening');
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => {
      // Not awaited by server.close, which wants a plain callback; allSettled never rejects, so nothing is lost.
      void Promise.allSettled([connection.close(), pool.end(), tracing.shutdown()]).then(() => process.exit(0));
    });
    server.closeAllConnections();
    metricsServer.close();
  });
}
