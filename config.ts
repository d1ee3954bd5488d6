/**
 * Every setting the service reads from the environment, with safe local defaults.
 * The README's configuration table mirrors this file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.dirname(fileURLToPath(import.meta.url));

const env = process.env;

export const config = {
  port: Number(env.PORT ?? 3000),
  databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ppks',
  /** When set, `npm start` uses this server and starts none of its own. */
  temporalAddress: env.TEMPORAL_ADDRESS || `127.0.0.1:${env.TEMPORAL_PORT ?? 7233}`,
  temporalAddressGiven: env.TEMPORAL_ADDRESS !== undefined && env.TEMPORAL_ADDRESS !== '',
  temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
  taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'ppks-cases',
  temporalUiPort: Number(env.TEMPORAL_UI_PORT ?? 8233),
  dataDir: path.resolve(projectRoot, env.PPKS_DATA_DIR ?? '.data'),
  logLevel: env.LOG_LEVEL ?? 'info',
  /** How often a case waiting for a free UPT bed asks again. */
  placementRecheckInterval: env.PLACEMENT_RECHECK_INTERVAL ?? 'PT1H',
  /** Beds per UPT when the reference data reports no capacity figure. */
  defaultUptCapacity: Number(env.DEFAULT_UPT_CAPACITY ?? 50),
} as const;
