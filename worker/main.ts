/** The worker process: `npm run worker`, started by `npm start`. Stops cleanly on SIGINT/SIGTERM. */
import { NativeConnection } from '@temporalio/worker';
import { config } from '../config.js';
import { createPool } from '../db/pool.js';
import { encryptingDataConverter } from '../encryption/data-converter.js';
import { logger } from '../logger.js';
import { connectWithRetry } from '../temporal-connection.js';
import { createCaseWorker } from './create-worker.js';

// First: a missing or malformed payload key stops the process before it touches anything.
const dataConverter = encryptingDataConverter();
const connection = await connectWithRetry(() => NativeConnection.connect({ address: config.temporalAddress }));
const pool = createPool();
const worker = await createCaseWorker({ connection, pool, dataConverter });
logger.info({ taskQueue: config.taskQueue, address: config.temporalAddress }, 'worker polling');
try {
  await worker.run();
} finally {
  await connection.close();
  await pool.end();
}
