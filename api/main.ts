/** The API process: `npm run api`, started by `npm start`. Migrates the database, then listens. */
import { Client, Connection } from '@temporalio/client';
import { config } from '../config.js';
import { createPool } from '../db/pool.js';
import { prepareDatabase } from '../db/prepare.js';
import { encryptingDataConverter } from '../encryption/data-converter.js';
import { loadMatchKey } from '../encryption/match-key.js';
import { logger } from '../logger.js';
import { apiMetricsRegistry } from '../observability/api-metrics.js';
import { startMetricsServer } from '../observability/metrics-server.js';
import { installTracing, tracingClientInterceptors } from '../observability/tracing.js';
import { temporalConnectionOptions } from '../temporal-connection.js';
import { createApp } from './app.js';
import { configuredAuthFailureLimits } from './auth-failures.js';
import { Draining } from './draining.js';
import { configuredSessionSettings } from './sessions.js';
import { createTemporalUiGateway } from './temporal-ui.js';
import { hashKeyring } from './request-hash.js';
import { apiTemporalInterceptors } from './temporal-retries.js';

// First: a missing or malformed key stops the process before it touches anything (payload keys,
// the key of the repeat-client register, the keys of request hashes).
const dataConverter = encryptingDataConverter();
const matchKey = loadMatchKey();
hashKeyring();
// Before the Temporal client is made, so that its calls are traced.
const tracing = installTracing('ppks-api');
await prepareDatabase();
const pool = createPool();
// Lazy: the API starts (and answers 503) even while Temporal is down.
const connection = Connection.lazy({ ...temporalConnectionOptions(), interceptors: apiTemporalInterceptors });
const temporal = new Client({ connection, namespace: config.temporalNamespace, dataConverter, interceptors: tracingClientInterceptors });
const metricsServer = await startMetricsServer(apiMetricsRegistry(pool), config.apiMetricsHost, config.apiMetricsPort);
const draining = new Draining();
const server = createApp({ pool, temporal, taskQueue: config.taskQueue, draining, matchKey }).listen(config.port, () => {
  logger.info({ port: config.port }, 'API listening');
});
const temporalUiGateway = config.temporalUiUrl
  ? createTemporalUiGateway({
      pool,
      temporal,
      sessions: configuredSessionSettings(),
      settings: { upstream: config.temporalUiUrl, consoleUrl: config.consoleUrl },
      authFailureLimits: configuredAuthFailureLimits(),
    }).listen(config.temporalUiGatewayPort, () => {
      logger.info({ port: config.temporalUiGatewayPort }, 'Temporal UI gateway listening');
    })
  : null;

// Signals after the first change nothing (one Ctrl-C can arrive twice, from the terminal and through
// tsx): API_SHUTDOWN_GRACE bounds the wait.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void stop(signal);
  });
}

/** Drains (api/draining.ts), then closes the server and what the requests used, and exits. */
async function stop(signal: NodeJS.Signals): Promise<void> {
  logger.info({ signal, requestsInFlight: draining.requestsInFlight, graceMs: config.apiShutdownGraceMs }, 'API draining');
  const drained = await draining.drain(config.apiShutdownGraceMs);
  if (!drained) logger.warn({ requestsCut: draining.requestsInFlight }, 'API_SHUTDOWN_GRACE is over: requests still in flight are cut');
  for (const listening of [server, temporalUiGateway]) {
    listening?.close();
    // Nothing in flight is left to wait for (or the grace is over): idle keep-alive connections go too.
    listening?.closeAllConnections();
  }
  metricsServer.close();
  await Promise.allSettled([connection.close(), pool.end(), tracing.shutdown()]);
  process.exit(0);
}
