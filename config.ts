/**
 * Every setting the service reads from the environment, with safe local defaults.
 * The configuration table of docs/operations.md mirrors this file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDuration } from './domain/durations.js';

export const projectRoot = path.dirname(fileURLToPath(import.meta.url));

const env = process.env;
const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ppks';
const dataDir = path.resolve(projectRoot, env.PPKS_DATA_DIR ?? '.data');

export const config = {
  port: Number(env.PORT ?? 3000),
  /** The API's and the worker's connection: a role that may only append to and read the logs (docs/operations.md). */
  databaseUrl,
  /** The owner of the tables, who runs the migrations; the runtime role when unset. */
  databaseOwnerUrl: env.DATABASE_OWNER_URL || databaseUrl,
  /** When set, `npm start` uses this server and starts none of its own. */
  temporalAddress: env.TEMPORAL_ADDRESS || `127.0.0.1:${env.TEMPORAL_PORT ?? 7233}`,
  temporalAddressGiven: env.TEMPORAL_ADDRESS !== undefined && env.TEMPORAL_ADDRESS !== '',
  temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
  taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'ppks-cases',
  temporalUiPort: Number(env.TEMPORAL_UI_PORT ?? 8233),
  dataDir,
  /** Refuses local conveniences (a generated payload key) that must not reach a deployment. */
  production: env.NODE_ENV === 'production',
  /** `keyId:base64-key,…`: the AES-256 keys of Temporal payload encryption (encryption/keys.ts). */
  payloadKeys: env.PPKS_PAYLOAD_KEYS || undefined,
  /** The key new payloads are encrypted with; the first of payloadKeys when unset. */
  payloadKeyId: env.PPKS_PAYLOAD_KEY_ID || undefined,
  /** Base64 key (32 bytes) of the HMAC that stands in for NIKs in the repeat-client register (encryption/match-key.ts). */
  matchKey: env.PPKS_MATCH_KEY || undefined,
  /** Keys of request hashes (Update IDs, audit rows): `keyId:base64-key,…`; the current one by ID, else the first. */
  hashKeys: env.PPKS_HASH_KEYS || undefined,
  hashKeyId: env.PPKS_HASH_KEY_ID || undefined,
  /** Ed25519 private key (PEM or base64 PKCS#8) signing the logs' heads; the database never holds it (audit/signing-key.ts). */
  auditSigningKey: env.PPKS_AUDIT_SIGNING_KEY || undefined,
  /** Where the signed heads go, one JSON line each: outside the database, ideally on another machine. */
  auditExportDir: path.resolve(projectRoot, env.AUDIT_EXPORT_DIR || path.join(dataDir, 'audit-export')),
  /** How often the worker's Schedule signs and exports the heads (ISO 8601 duration). */
  auditExportInterval: env.AUDIT_EXPORT_INTERVAL || 'PT1H',
  /** Origins of the Temporal Web UI that may call the codec endpoint from the browser (CORS). */
  temporalUiOrigins: (env.TEMPORAL_UI_ORIGIN || `http://localhost:${env.TEMPORAL_UI_PORT ?? 8233}`)
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean),
  logLevel: env.LOG_LEVEL ?? 'info',
  /** Log to this file instead of stdout (JSON lines). */
  logFile: env.LOG_FILE || undefined,
  /** How often a case waiting for a free UPT bed asks again. */
  placementRecheckInterval: env.PLACEMENT_RECHECK_INTERVAL ?? 'PT1H',
  /** Beds per UPT when the reference data reports no capacity figure. */
  defaultUptCapacity: Number(env.DEFAULT_UPT_CAPACITY ?? 50),
  /** Failed authentications allowed per client address, and per presented key, in each window. */
  authFailuresPerClient: Number(env.AUTH_FAILURES_PER_CLIENT ?? 30),
  authFailuresPerKey: Number(env.AUTH_FAILURES_PER_KEY ?? 10),
  authFailureWindow: env.AUTH_FAILURE_WINDOW ?? 'PT15M',
  /** Retries of an alert's delivery to one webhook: exponential backoff (x2) between these, ISO 8601. */
  webhookRetryInitialInterval: env.WEBHOOK_RETRY_INITIAL_INTERVAL ?? 'PT10S',
  webhookRetryMaxInterval: env.WEBHOOK_RETRY_MAX_INTERVAL ?? 'PT30M',
  /** Attempts per webhook, the first included; then the delivery is marked failed. */
  webhookMaxAttempts: Number(env.WEBHOOK_MAX_ATTEMPTS ?? 20),
  /** Hosts, IPs and CIDRs (comma-separated) webhooks may reach although internal (loopback, private…); none by default. */
  webhookAllowedDestinations: env.WEBHOOK_ALLOWED_DESTINATIONS ?? '',
  /** Express `trust proxy`: which reverse proxies' X-Forwarded-For names the real client. */
  trustProxy: trustProxySetting(env.TRUST_PROXY),
  /** Connections of each process's PostgreSQL pool (the API's and the worker's). */
  databasePoolSize: positiveInteger(env.DATABASE_POOL_SIZE, 10),
  /**
   * How long a query waits for a connection (a free one in the pool, or a new one) before it
   * fails: a request then gets 503 with Retry-After instead of hanging, an activity is retried.
   */
  databaseConnectTimeoutMs: positiveInteger(env.DATABASE_CONNECT_TIMEOUT_MS, 10_000),
  /**
   * Worker tuning (`npm run bench` measures what they change). Unset: the Temporal SDK's defaults
   * (a cache sized from the heap, 40 workflow task slots, 100 activity slots).
   */
  workerMaxCachedWorkflows: optionalInteger(env.WORKER_MAX_CACHED_WORKFLOWS),
  workerMaxConcurrentWorkflowTasks: optionalInteger(env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS),
  workerMaxConcurrentActivities: optionalInteger(env.WORKER_MAX_CONCURRENT_ACTIVITIES),
  // Rollouts (docs/operations.md, "Rollouts")
  /** How long a stopping worker lets its running activities finish before it cancels them. */
  workerShutdownGraceMs: durationMs('WORKER_SHUTDOWN_GRACE', env.WORKER_SHUTDOWN_GRACE || '30s'),
  /** How long a stopping API lets the requests in flight finish (answering new ones 503) before it cuts them. */
  apiShutdownGraceMs: durationMs('API_SHUTDOWN_GRACE', env.API_SHUTDOWN_GRACE || '20s'),
  /** The worker's Worker Deployment Version (both or neither; worker/deployment-version.ts): unversioned unless set. */
  temporalDeploymentName: env.TEMPORAL_DEPLOYMENT_NAME || undefined,
  temporalWorkerBuildId: env.TEMPORAL_WORKER_BUILD_ID || undefined,
} as const;

/** `30s`, `500ms`, `2m`, `1h`, or ISO 8601 (`PT30S`); a malformed value stops the start, naming its variable. */
function durationMs(name: string, value: string): number {
  const short = /^(\d{1,9})(ms|s|m|h)$/.exec(value);
  if (short) return Number(short[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[short[2] as 'ms' | 's' | 'm' | 'h'];
  const iso = parseDuration(value, { calendarUnits: false });
  if ('ms' in iso) return iso.ms;
  throw new Error(`${name} must be a duration such as 30s, 500ms, 2m or PT30S; got ${JSON.stringify(value)}`);
}

function optionalInteger(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`expected a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

function positiveInteger(value: string | undefined, fallback: number): number {
  const parsed = optionalInteger(value) ?? fallback;
  if (parsed < 1) throw new Error(`expected at least 1, got ${parsed}`);
  return parsed;
}

/**
 * Off unless set: a hop count (`1`), or proxy addresses and subnets (`loopback, 10.0.0.0/8`).
 * Never `true`: that believes the left-most X-Forwarded-For, which the client writes itself.
 */
export function trustProxySetting(value: string | undefined): number | string | false {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') {
    throw new Error(
      'TRUST_PROXY=true would believe an X-Forwarded-For the client writes itself: set the number of proxies in front of the API (1) or their addresses',
    );
  }
  return /^\d+$/.test(value) ? Number(value) : value;
}
