/**
 * `npm run replay -- [--namespace NS] [--since P7D] [--open]`, run before every rollout of workflow
 * code: the histories of this service's workflows (every type of workflows/index.ts, on
 * TEMPORAL_TASK_QUEUE) started or closed within the window, and with `--open` every one still
 * running, are fetched from Temporal through the service's connection and replayed with the
 * worker's payload codec against the workflow code of this checkout, the code the new workers will
 * run. Exit 1 names each workflow that does not replay (its ID, a case number: never a payload),
 * exit 2 is bad usage. See docs/operations.md, "Rollouts".
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { config } from '../config.js';
import { parseDuration } from '../domain/durations.js';
import { encryptingDataConverter } from '../encryption/data-converter.js';
import { workflowTracingSinks } from '../observability/tracing.js';
import { temporalConnectionOptions } from '../temporal-connection.js';
import { bundleCaseWorkflows } from '../worker/create-worker.js';
import { badUsage } from './bad-usage.js';

const USAGE = 'usage: npm run replay -- [--namespace NS] [--since P7D] [--open]';

const usage: (problem: string) => never = badUsage(USAGE);

let values: { namespace?: string; since?: string; open?: boolean };
try {
  ({ values } = parseArgs({
    options: { namespace: { type: 'string' }, since: { type: 'string' }, open: { type: 'boolean' } },
    allowPositionals: false,
  }));
} catch (error) {
  usage((error as Error).message);
}
const namespace = values.namespace ?? config.temporalNamespace;
const lookBack = parseDuration(values.since ?? 'P7D', { calendarUnits: true });
if ('problem' in lookBack) usage(`--since ${lookBack.problem}`);
if (config.taskQueue.includes("'")) usage('TEMPORAL_TASK_QUEUE must not contain a quote');
const since = DateTime.utc().minus(lookBack.duration).startOf('second').toISO({ suppressMilliseconds: true })!;

// Before the replay worker exists. Not its warnings: each failed replay is reported below, once.
Runtime.install({ logger: new DefaultLogger('ERROR') });
const dataConverter = encryptingDataConverter();
// The bundle the new workers will load (WORKFLOW_BUNDLE_PATH, as in the image), else this checkout's sources.
const workflowBundle = config.workflowBundlePath ? { codePath: config.workflowBundlePath } : await bundleCaseWorkflows();
// The service's connection to Temporal, as the API and the worker make it (TLS, API key, profile).
const connection = await Connection.connect(temporalConnectionOptions());
try {
  const client = new Client({ connection, namespace });
  const inWindow = `StartTime >= '${since}' OR CloseTime >= '${since}'${values.open ? ` OR ExecutionStatus = 'Running'` : ''}`;
  const query = `TaskQueue = '${config.taskQueue}' AND (${inWindow})`;
  console.log(
    `Replaying the workflows of task queue ${config.taskQueue} in namespace ${namespace} started or closed since ${since}` +
      `${values.open ? ', and every open one' : ''}, against this checkout's workflow code ...`,
  );
  const histories = client.workflow.list({ query }).intoHistories();
  let replayed = 0;
  const failed: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, dataConverter, sinks: workflowTracingSinks() }, histories)) {
    replayed++;
    if (!result.error) continue;
    failed.push(result.workflowId);
    console.error(`${result.workflowId} (run ${result.runId}): ${result.error.name}: ${mismatch(result.error.message)}`);
  }
  if (replayed === 0) console.error('Nothing to replay: check --namespace, --since and TEMPORAL_TASK_QUEUE.');
  console.log(
    failed.length
      ? `${failed.length} of ${replayed} workflow histories do not replay: do not roll out this workflow code (see above).`
      : `All ${replayed} workflow histories replay.`,
  );
  console.log(JSON.stringify({ namespace, taskQueue: config.taskQueue, since, open: Boolean(values.open), replayed, failed }));
  process.exitCode = failed.length ? 1 : 0;
} finally {
  await connection.close();
}

/**
 * What the SDK says went wrong, without its wrapping: for a nondeterminism, which event of the
 * history met which command of the code (types and names of activities and timers, never payloads).
 */
function mismatch(message: string): string {
  return (/message: "([^"]+)"/.exec(message)?.[1] ?? message).slice(0, 500);
}
