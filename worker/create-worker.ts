/** The case worker: the workflow bundle, the activities and their database pool. */
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import type { CivilRegistry } from '../activities/civil-registry/registry.js';
import type { DeliveryRetry } from '../workflows/alert-delivery.js';
import type { Pool } from '../db/pool.js';
import { config } from '../config.js';
import { tracingClientInterceptors, WORKFLOW_INTERCEPTOR_MODULES, workerTracing } from '../observability/tracing.js';
import { workerDeploymentOptions, type DeploymentVersionSettings } from './deployment-version.js';

const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export function bundleCaseWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: quietBundlerLogger });
}

export interface CaseWorkerOptions {
  connection: NativeConnection;
  pool: Pool;
  namespace?: string;
  taskQueue?: string;
  /** A prebuilt bundle (tests build it once); otherwise WORKFLOW_BUNDLE_PATH's, or the workflows are bundled now. */
  workflowBundle?: WorkflowBundle;
  registry?: CivilRegistry;
  /** Retries of webhook deliveries (default: the WEBHOOK_* settings; tests make them short). */
  webhookRetry?: DeliveryRetry;
  /** Encrypts what the worker hands Temporal; must match the clients' (encryption/data-converter.ts). */
  dataConverter: DataConverter;
  /** The Worker Deployment Version (default: TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_WORKER_BUILD_ID; unversioned when unset). */
  deploymentVersion?: DeploymentVersionSettings;
}

export async function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  const namespace = options.namespace ?? config.temporalNamespace;
  const taskQueue = options.taskQueue ?? config.taskQueue;
  // Activities start workflows too (alert delivery): over the worker's connection, with its data converter.
  const temporal = new Client({
    connection: options.connection,
    namespace,
    dataConverter: options.dataConverter,
    interceptors: tracingClientInterceptors,
  });
  const code = workflowCode(options.workflowBundle);
  return Worker.create({
    connection: options.connection,
    namespace,
    taskQueue,
    ...code,
    activities: createActivities(options.pool, { temporal, taskQueue, registry: options.registry, webhookRetry: options.webhookRetry }),
    dataConverter: options.dataConverter,
    // A prebuilt bundle has the workflow interceptors in it already; the sources get them here.
    ...workerTracing('workflowsPath' in code),
    ...tuning(),
    // Stopping (SIGINT, SIGTERM: the SDK's signal handling) lets running activities finish this long, then cancels them.
    shutdownGraceTime: config.workerShutdownGraceMs,
    workerDeploymentOptions: workerDeploymentOptions(options.deploymentVersion),
  });
}

/**
 * The bundle given; else the one `npm run build` wrote (the image's WORKFLOW_BUNDLE_PATH), loaded
 * in milliseconds; else the sources, which the SDK bundles with webpack now (seconds, `npm start`).
 */
function workflowCode(bundle: WorkflowBundle | undefined) {
  if (bundle) return { workflowBundle: bundle };
  if (config.workflowBundlePath) return { workflowBundle: { codePath: config.workflowBundlePath } };
  return { workflowsPath };
}

/** The WORKER_* settings that are set; the SDK's defaults for the others. */
function tuning() {
  const settings = {
    maxCachedWorkflows: config.workerMaxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: config.workerMaxConcurrentWorkflowTasks,
    maxConcurrentActivityTaskExecutions: config.workerMaxConcurrentActivities,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string, meta?: object) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: object) => console.error(message, meta ?? ''),
};
