/**
 * The whole service for end-to-end tests: a worker on its own task queue against the suite's
 * dev server, and the real API on a free port, over real PostgreSQL.
 */
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { CivilRegistry } from '../../activities/civil-registry/registry.js';
import type { DeliveryRetry } from '../../workflows/alert-delivery.js';
import { addAgency, type NewAgency } from '../../api/agencies.js';
import { createApp, type AppDependencies } from '../../api/app.js';
import { configuredAuthFailureLimits } from '../../api/auth-failures.js';
import { configuredSessionSettings } from '../../api/sessions.js';
import { createTemporalUiGateway } from '../../api/temporal-ui.js';
import { freePort } from '../../scripts/free-port.js';
import { apiTemporalInterceptors } from '../../api/temporal-retries.js';
import { createPool, type Pool } from '../../db/pool.js';
import { bundleCaseWorkflows, createCaseWorker } from '../../worker/create-worker.js';
import type { DeploymentVersionSettings } from '../../worker/deployment-version.js';
import { testDataConverter } from './encryption.js';

export interface RunningService {
  baseUrl: string;
  /** The Temporal UI gateway, when started (`temporalUi`). */
  temporalUiUrl: string;
  pool: Pool;
  temporal: Client;
  taskQueue: string;
  /** Registers an agency and returns its API key. */
  keyFor(agency: NewAgency): Promise<string>;
  /** Registers an agency and returns an HTTP client acting as it. */
  clientFor(name: string, role: string, scope?: AgencyScope): Promise<AgencyClient>;
  stop(): Promise<void>;
}

export interface AgencyScope {
  regionCode?: string;
  uptCode?: string;
}

export type AgencyClient = ReturnType<typeof agencyClient>;

export interface ServiceOptions {
  /** Stand-in for the national civil registry (the default is the PostgreSQL registry). */
  registry?: CivilRegistry;
  temporalDeadlineMs?: number;
  /** Small failed-authentication limits, and `trust proxy` so X-Forwarded-For can stand for distinct clients. */
  authFailureLimits?: AppDependencies['authFailureLimits'];
  trustProxy?: AppDependencies['trustProxy'];
  /** Short webhook retries, so a test sees a delivery retried and given up in seconds. */
  webhookRetry?: DeliveryRetry;
  /** The worker's Worker Deployment Version (unversioned by default). */
  deploymentVersion?: DeploymentVersionSettings;
  /** Short session timeouts, so a test sees a session time out. */
  sessions?: AppDependencies['sessions'];
  /** The API's Temporal UI gateway to the suite's dev server UI, on a port of its own (none by default). */
  temporalUi?: boolean;
}

export async function startService(options: ServiceOptions = {}): Promise<RunningService> {
  quietTemporalRuntime();
  const address = inject('temporalAddress');
  // Separate pools, as in separate processes: a worker whose activities wait on a lock cannot starve the API.
  const pool = createPool(inject('databaseUrl'), 5);
  const workerPool = createPool(inject('databaseUrl'), 5);
  const taskQueue = `ppks-test-${randomUUID()}`;
  const workerConnection = await NativeConnection.connect({ address });
  const worker: Worker = await createCaseWorker({
    connection: workerConnection,
    pool: workerPool,
    taskQueue,
    workflowBundle: await bundleCaseWorkflows(),
    registry: options.registry,
    webhookRetry: options.webhookRetry,
    dataConverter: testDataConverter,
    deploymentVersion: options.deploymentVersion,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address, interceptors: apiTemporalInterceptors });
  const temporal = new Client({ connection, dataConverter: testDataConverter });
  // The gateway and the API link to each other: both ports are chosen first.
  const [port, gatewayPort] = options.temporalUi ? [await freePort(), await freePort()] : [0, 0];
  const temporalUiUrl = `http://127.0.0.1:${gatewayPort}`;
  const server = createApp({
    pool,
    temporal,
    taskQueue,
    temporalDeadlineMs: options.temporalDeadlineMs,
    authFailureLimits: options.authFailureLimits,
    trustProxy: options.trustProxy,
    sessions: options.sessions,
    // Counters of its own: another test file's failed keys must not block this one.
    authFailureNamespace: taskQueue,
    temporalUiPublicUrl: options.temporalUi ? temporalUiUrl : null,
  }).listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gateway = options.temporalUi
    ? createTemporalUiGateway({
        pool,
        temporal,
        sessions: options.sessions ?? configuredSessionSettings(),
        settings: { upstream: inject('temporalUiUrl'), consoleUrl: baseUrl },
        authFailureLimits: options.authFailureLimits ?? configuredAuthFailureLimits(),
        authFailureNamespace: taskQueue,
      }).listen(gatewayPort, '127.0.0.1')
    : null;
  if (gateway) await new Promise((resolve) => gateway.once('listening', resolve));
  return {
    baseUrl,
    temporalUiUrl,
    pool,
    temporal,
    taskQueue,
    keyFor: async (agency) => (await addAgency(pool, agency)).apiKey,
    clientFor: async (name, role, scope = {}) => agencyClient(baseUrl, (await addAgency(pool, { name, role, ...scope })).apiKey),
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      gateway?.closeAllConnections();
      if (gateway) await new Promise((resolve) => gateway.close(resolve));
      worker.shutdown();
      await running;
      await connection.close();
      await workerConnection.close();
      await Promise.all([pool.end(), workerPool.end()]);
    },
  };
}

/** A small HTTP client for one agency. */
export function agencyClient(baseUrl: string, apiKey: string | null) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      headers: response.headers,
      body: text ? JSON.parse(text) : null,
    };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body ?? {}, headers),
    put: (path: string, body: unknown) => call('PUT', path, body),
    raw: call,
  };
}

/** Polls until `check` stops throwing (for effects that land asynchronously, like the case index). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

let runtimeInstalled = false;
export function quietTemporalRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}
