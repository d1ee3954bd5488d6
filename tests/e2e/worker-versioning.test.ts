/**
 * Worker Deployment Versions against the suite's dev server, as docs/operations.md ("Rollouts")
 * has an operator use them: a worker started with a deployment name and a build ID registers as
 * that version; made current, it runs the cases opened then, as auto-upgrading workflows; a second
 * build made current takes an open case over at its next step, so no old build has to stay up for
 * the months a case stays open.
 */
import { randomUUID } from 'node:crypto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { temporal as proto } from '@temporalio/proto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { bundleCaseWorkflows, createCaseWorker } from '../../worker/create-worker.js';
import { caseWorkflowId } from '../../workflows/messages.js';
import { CASE_AGENCIES, agenciesFor, openCase, postStep } from '../support/cases.js';
import { testDataConverter } from '../support/encryption.js';
import { eventually, startService, type RunningService } from '../support/service.js';

const deploymentName = `ppks-test-${randomUUID()}`;
const namespace = 'default';
let service: RunningService;
let nextBuild: { worker: Worker; running: Promise<void>; connection: NativeConnection } | undefined;

/** Makes `buildId` the deployment's current version, once its worker has been seen polling every task queue. */
async function makeCurrent(buildId: string): Promise<void> {
  await eventually(async () => {
    const { workerDeploymentInfo } = await service.temporal.workflowService.describeWorkerDeployment({ namespace, deploymentName });
    expect(workerDeploymentInfo?.versionSummaries?.map((summary) => summary.deploymentVersion?.buildId)).toContain(buildId);
  });
  // Refused (FAILED_PRECONDITION) until the new build has polled every task queue type the current one
  // has (workflow and activity tasks): its pollers may reach the server a moment apart on a busy machine.
  await eventually(() =>
    service.temporal.workflowService.setWorkerDeploymentCurrentVersion({
      namespace,
      deploymentName,
      buildId,
      identity: 'worker-versioning test',
    }),
  );
  // Until the change has reached the task queue, its tasks still go to the version before.
  await eventually(async () => {
    const { workerDeploymentInfo } = await service.temporal.workflowService.describeWorkerDeployment({ namespace, deploymentName });
    expect(workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId).toBe(buildId);
    expect(workerDeploymentInfo?.routingConfigUpdateState).toBe(
      proto.api.enums.v1.RoutingConfigUpdateState.ROUTING_CONFIG_UPDATE_STATE_COMPLETED,
    );
  });
}

/** The build the case's workflow last ran on, and how it moves between builds. */
async function versioningOf(caseNumber: string) {
  const { raw } = await service.temporal.workflow.getHandle(caseWorkflowId(caseNumber)).describe();
  const info = raw.workflowExecutionInfo!.versioningInfo!;
  return { buildId: info.deploymentVersion?.buildId, behavior: info.behavior };
}

beforeAll(async () => {
  service = await startService({ deploymentVersion: { deploymentName, buildId: 'build-1' } });
});

afterAll(async () => {
  nextBuild?.worker.shutdown();
  await nextBuild?.running;
  await nextBuild?.connection.close();
  await service?.stop();
});

it('registers the worker as its build, runs new cases on the current one, and moves open cases to the next', async () => {
  await makeCurrent('build-1');
  const { satpol, dukcapil } = await agenciesFor(service, 'Versioning test', CASE_AGENCIES);
  const { caseNumber } = await openCase(satpol);
  expect(await versioningOf(caseNumber)).toEqual({
    buildId: 'build-1',
    behavior: proto.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE,
  });

  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await createCaseWorker({
    connection,
    pool: service.pool,
    taskQueue: service.taskQueue,
    workflowBundle: await bundleCaseWorkflows(),
    dataConverter: testDataConverter,
    deploymentVersion: { deploymentName, buildId: 'build-2' },
  });
  nextBuild = { worker, running: worker.run(), connection };
  await makeCurrent('build-2');

  await postStep(dukcapil, caseNumber, 'identification', { outcome: 'not_matched' });
  expect((await versioningOf(caseNumber)).buildId).toBe('build-2');
}, 120_000);
