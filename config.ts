/**
 * Every setting the service reads from the environment, with safe local defaults.
 * The configuration table of docs/operations.md mirrors this file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporalSettings } from './temporal-settings.js';
import { parseDuration } from './domain/durations.js';

export const projectRoot = path.dirname(fileURLToPath(import.meta.url));

const env = process.env;
const databaseUrl = withPassword(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ppks', 'DATABASE_URL', 'DATABASE_PASSWORD');
const dataDir = path.resolve(projectRoot, env.PPKS_DATA_DIR ?? '.data');
const temporal = temporalSettings(env);

export const config = {
  port: Number(env.PORT ?? 3000),
  /** The API's and the worker's connection: a role that may only append to and read the logs (docs/operations.md). */
  databaseUrl,
  /** The owner of the tables, who runs the migrations; the runtime role when unset. */
  databaseOwnerUrl: withPassword(env.DATABASE_OWNER_URL || undefined, 'DATABASE_OWNER_URL', 'DATABASE_OWNER_PASSWORD') ?? databaseUrl,
  /** The Temporal connection: TEMPORAL_* variables over a temporal.toml profile (temporal-settings.ts). */
  temporal,
  temporalAddress: temporal.address,
  /** When a variable or a profile names the server, `npm start` uses it and starts none of its own. */
  temporalAddressGiven: temporal.addressGiven,
  temporalNamespace: temporal.namespace,
  taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'ppks-cases',
  /** The Web UI port of the dev server `npm start` runs (on 127.0.0.1; people reach it through the gateway below). */
  temporalUiPort: Number(env.TEMPORAL_UI_PORT ?? 8233),
  /**
   * The Temporal Web UI server (its codec endpoint set to `/codec`) that the API shows signed-in
   * supervisors through its gateway (api/temporal-ui.ts); unset, there is no gateway. `npm start`
   * sets it to its dev server's UI.
   */
  temporalUiUrl: env.TEMPORAL_UI_URL || undefined,
  /** The gateway's port: the UI on an origin of its own, next to the API's. */
  temporalUiGatewayPort: Number(env.TEMPORAL_UI_GATEWAY_PORT ?? 3001),
  /** The gateway as people's browsers reach it (behind a proxy: its public address). */
  temporalUiPublicUrl: env.TEMPORAL_UI_PUBLIC_URL || `http://localhost:${env.TEMPORAL_UI_GATEWAY_PORT ?? 3001}`,
  /** The console as people's browsers reach it: where the gateway sends them to sign in. */
  consoleUrl: env.CONSOLE_URL || `http://localhost:${env.PORT ?? 3000}`,
  dataDir,
  /** Refuses local conveniences (a generated payload key) that must not reach a deployment. */
  production: env.NODE_ENV === 'production',
  /** `keyId:base64-key,…`: the AES-256 keys of Temporal payload encryption (encryption/keys.ts). */
  payloadKeys: secretSetting('PPKS_PAYLOAD_KEYS'),
  /** The key new payloads are encrypted with; the first of payloadKeys when unset. */
  payloadKeyId: env.PPKS_PAYLOAD_KEY_ID || undefined,
  /** Base64 key (32 bytes) of the HMAC that stands in for NIKs in the repeat-client register (encryption/match-key.ts). */
  matchKey: secretSetting('PPKS_MATCH_KEY'),
  /** Keys of request hashes (Update IDs, audit rows): `keyId:base64-key,…`; the current one by ID, else the first. */
  hashKeys: secretSetting('PPKS_HASH_KEYS'),
  hashKeyId: env.PPKS_HASH_KEY_ID || undefined,
  /** Ed25519 private key (PEM or base64 PKCS#8) signing the logs' heads; the database never holds it (audit/signing-key.ts). */
  auditSigningKey: secretSetting('PPKS_AUDIT_SIGNING_KEY'),
  /** Where the signed heads go, one JSON line each: outside the database, ideally on another machine. */
  auditExportDir: path.resolve(projectRoot, env.AUDIT_EXPORT_DIR || path.join(dataDir, 'audit-export')),
  /** How often the worker's Schedule signs and exports the heads (ISO 8601 duration). */
  auditExportInterval: env.AUDIT_EXPORT_INTERVAL || 'PT1H',
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
  /** The workflow bundle built by `npm run build` (the image sets it); unset, the worker bundles the workflows at start. */
  workflowBundlePath: env.WORKFLOW_BUNDLE_PATH ? path.resolve(projectRoot, env.WORKFLOW_BUNDLE_PATH) : undefined,

  // Observability
  /** Prometheus endpoints, on ports of their own (never the agencies' port), loopback unless set (Compose: 0.0.0.0 on its internal network). */
  apiMetricsHost: env.API_METRICS_HOST || '127.0.0.1',
  apiMetricsPort: positiveInteger(env.API_METRICS_PORT, 9464),
  /** The worker's: the Temporal SDK's metrics and the activities' own, from the SDK's exporter. */
  workerMetricsHost: env.WORKER_METRICS_HOST || '127.0.0.1',
  workerMetricsPort: positiveInteger(env.WORKER_METRICS_PORT, 9465),
  /** `GET /healthz` of the worker: 200 while it polls and its Temporal connection answers. */
  workerHealthHost: env.WORKER_HEALTH_HOST || '127.0.0.1',
  workerHealthPort: positiveInteger(env.WORKER_HEALTH_PORT, 9466),
  /** OTLP/HTTP receiver of traces (`http://collector:4318`); unset: spans are exported nowhere. */
  otlpEndpoint: otlpEndpoint(env.OTEL_EXPORTER_OTLP_ENDPOINT),

  // Rollouts (docs/operations.md, "Rollouts")
  /** How long a stopping worker lets its running activities finish before it cancels them. */
  workerShutdownGraceMs: durationMs('WORKER_SHUTDOWN_GRACE', env.WORKER_SHUTDOWN_GRACE || '30s'),
  /** How long a stopping API lets the requests in flight finish (answering new ones 503) before it cuts them. */
  apiShutdownGraceMs: durationMs('API_SHUTDOWN_GRACE', env.API_SHUTDOWN_GRACE || '20s'),
  /** The worker's Worker Deployment Version (both or neither; worker/deployment-version.ts): unversioned unless set. */
  temporalDeploymentName: env.TEMPORAL_DEPLOYMENT_NAME || undefined,
  temporalWorkerBuildId: env.TEMPORAL_WORKER_BUILD_ID || undefined,

  // Accounts and sessions
  /** A person's session ends after this long without a request (ISO 8601). */
  sessionIdleTimeout: env.SESSION_IDLE_TIMEOUT || 'PT30M',
  /** …and this long after signing in, however active (ISO 8601). */
  sessionAbsoluteTimeout: env.SESSION_ABSOLUTE_TIMEOUT || 'PT12H',
  /** Origins (comma-separated) besides the API's own whose pages may send state-changing requests with a session cookie. */
  sessionAllowedOrigins: (env.SESSION_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean),

  // Single sign-on
  /** The OpenID Connect provider's issuer URL; unset: single sign-on is off (api/oidc.ts). */
  oidcIssuer: env.OIDC_ISSUER || undefined,
  oidcClientId: env.OIDC_CLIENT_ID || undefined,
  /** Unset: a public client (PKCE alone). */
  oidcClientSecret: secretSetting('OIDC_CLIENT_SECRET'),
  /** Where the provider sends the browser back; unset: the API's own origin + /v1/session/oidc/callback. */
  oidcRedirectUri: env.OIDC_REDIRECT_URI || undefined,
  oidcScopes: env.OIDC_SCOPES || 'openid email profile',
  /** The claim naming the person's groups (a string or an array of strings). */
  oidcAgencyClaim: env.OIDC_AGENCY_CLAIM || 'groups',
  /** `claim value=agency ID,…`: the agency a person of each group signs in to. */
  oidcAgencyMap: env.OIDC_AGENCY_MAP ?? '',
} as const;

/**
 * A secret setting: the variable `name` itself, or the contents of the file `<name>_FILE` names
 * (Docker and Compose secrets), trimmed. Never both: which one would win is a guess. Messages name
 * the variable and the file, never the value.
 */
export function secretSetting(name: string, environment: NodeJS.ProcessEnv = env): string | undefined {
  const value = environment[name] || undefined;
  const file = environment[`${name}_FILE`] || undefined;
  if (file === undefined) return value;
  if (value !== undefined) throw new Error(`${name} and ${name}_FILE are both set: set only one of them`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  if (text === '') throw new Error(`${name}_FILE: ${file} is empty`);
  return text;
}

/**
 * A PostgreSQL URL with the password of `passwordVariable` (or its `_FILE`) filled in, so that
 * the URL itself need not be secret. Percent-encoded here: any character may be in the password.
 */
export function withPassword<Url extends string | undefined>(
  url: Url,
  urlVariable: string,
  passwordVariable: string,
  environment: NodeJS.ProcessEnv = env,
): Url | string {
  const password = secretSetting(passwordVariable, environment);
  if (password === undefined) return url;
  if (url === undefined) throw new Error(`${passwordVariable} is set but ${urlVariable} is not: the password needs a URL to go into`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    // Not echoed: the URL may carry a password of its own.
    throw new Error(`${urlVariable} is not a URL`, { cause: error });
  }
  if (parsed.password) throw new Error(`${urlVariable} carries a password and ${passwordVariable} is set: give it in one place`);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

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

/** The OTLP base URL as OpenTelemetry defines it (the exporter appends `/v1/traces`); only http(s). */
function otlpEndpoint(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const protocol = URL.canParse(value) ? new URL(value).protocol : null;
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL such as http://collector:4318, got ${JSON.stringify(value)}`);
  }
  return value;
}
