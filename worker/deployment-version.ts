/**
 * The worker's Worker Deployment Version (Temporal's Worker Versioning), opt-in: with
 * TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_WORKER_BUILD_ID set, the worker registers as that version of
 * the deployment, and Temporal sends a task queue's tasks to the deployment's current version only.
 *
 * Every workflow of this worker auto-upgrades: a case lives for months, so pinning it to the build
 * it started on would keep that build's workers running for months. On its next task an open case
 * moves to the current version and replays there, so workflow changes stay behind `patched()`
 * (workflows/patches.ts) and `npm run replay` checks them before a rollout (docs/operations.md,
 * "Rollouts").
 */
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { config } from '../config.js';

export interface DeploymentVersionSettings {
  deploymentName?: string;
  buildId?: string;
}

/** The worker's deployment options, or undefined (unversioned); one of the two settings alone stops the start. */
export function workerDeploymentOptions({
  deploymentName = config.temporalDeploymentName,
  buildId = config.temporalWorkerBuildId,
}: DeploymentVersionSettings = {}): WorkerDeploymentOptions | undefined {
  if (!deploymentName && !buildId) return undefined;
  if (!deploymentName || !buildId) {
    const [given, missing] = deploymentName
      ? ['TEMPORAL_DEPLOYMENT_NAME', 'TEMPORAL_WORKER_BUILD_ID']
      : ['TEMPORAL_WORKER_BUILD_ID', 'TEMPORAL_DEPLOYMENT_NAME'];
    throw new Error(`${given} is set but ${missing} is not: set both (a Worker Deployment Version) or neither (unversioned)`);
  }
  return { useWorkerVersioning: true, version: { deploymentName, buildId }, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}
