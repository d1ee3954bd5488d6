/**
 * `npm run replay` as an operator runs it before a rollout, as a process against the suite's dev
 * server: the cases of a task queue replay against the current workflow code (exit 0, counted),
 * `--open` takes the open ones whenever they started, and a history left by a case workflow that
 * changed without `patched()` fails it (exit 1, naming the case, never its data).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../config.js';
import type { CaseIntake } from '../../workflows/messages.js';
import { openCase } from '../support/cases.js';
import { testDataConverter, testPayloadKeys } from '../support/encryption.js';
import { eventually, quietTemporalRuntime, startService, type RunningService } from '../support/service.js';
import type { ppksCase as caseBeforeAnUnpatchedChange } from './fixtures/case-before-an-unpatched-change.js';

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
let service: RunningService;
let temporal: Client;
let connection: Connection;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run replay -- …args` for one task queue; resolves with its exit code and output, whatever the code. */
function replay(taskQueue: string, args: string[]): Promise<Outcome> {
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    PPKS_PAYLOAD_KEYS: testPayloadKeys,
  };
  return promisify(execFile)(tsx, ['scripts/replay.ts', ...args], { cwd: projectRoot, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const summary = (outcome: Outcome) => JSON.parse(outcome.stdout.trim().split('\n').at(-1)!);

/** Waits until visibility lists `count` workflows of the task queue (it lags the histories a little). */
const listed = (taskQueue: string, count: number) =>
  eventually(async () => expect((await temporal.workflow.count(`TaskQueue = '${taskQueue}'`)).count).toBe(count));

beforeAll(async () => {
  service = await startService();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  temporal = new Client({ connection, dataConverter: testDataConverter });
});

afterAll(async () => {
  await service?.stop();
  await connection?.close();
});

describe('npm run replay', () => {
  it('replays every case of the task queue in the window, and with --open every open one, and exits 0', async () => {
    const satpol = await service.clientFor('Replay test Satpol PP', 'satpol_pp', { regionCode: '35.78' });
    for (let i = 0; i < 3; i++) await openCase(satpol, { person: { sex: 'F', name: 'Sri Wahyuni' } });
    await listed(service.taskQueue, 3);

    const lastWeek = await replay(service.taskQueue, ['--namespace', 'default', '--since', 'P7D']);
    expect(lastWeek.code, lastWeek.stderr).toBe(0);
    expect(lastWeek.stdout).toContain('All 3 workflow histories replay.');
    expect(summary(lastWeek)).toMatchObject({ namespace: 'default', taskQueue: service.taskQueue, replayed: 3, failed: [] });

    // The cases started before this one-second window (the first run alone took longer): only --open finds them.
    const open = await replay(service.taskQueue, ['--since', 'PT1S', '--open']);
    expect(open.code, open.stderr).toBe(0);
    expect(summary(open)).toMatchObject({ open: true, replayed: 3, failed: [] });
  }, 120_000);

  it('exits 1 naming a case whose history the current workflow code cannot replay, and prints none of its data', async () => {
    quietTemporalRuntime();
    const taskQueue = `ppks-test-${randomUUID()}`;
    const caseNumber = '3578-2026-900001';
    const workerConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
    // The build before the change: the workflows of the fixture under the case workflow's name.
    const earlierBuild = await Worker.create({
      connection: workerConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('fixtures/case-before-an-unpatched-change.ts', import.meta.url)),
      dataConverter: testDataConverter,
    });
    const intake: CaseIntake = {
      caseNumber,
      report: {
        ppksType: 'gelandangan',
        foundAt: '2026-11-25T10:00:00+07:00',
        foundRegion: '35.78',
        person: { sex: 'M', name: 'Sutrisno Wibowo' },
      },
      reportedBy: { agencyId: 'agency_replay_test', role: 'satpol_pp', regionCode: '35.78', uptCode: null },
      requestHash: 'replay-test',
    };
    const handle = await earlierBuild.runUntil(async () => {
      const started = await temporal.workflow.start<typeof caseBeforeAnUnpatchedChange>('ppksCase', {
        workflowId: `case-${caseNumber}-${randomUUID()}`,
        taskQueue,
        args: [intake],
      });
      // Its first workflow task ran on the earlier build: the activity only that build schedules is in the history.
      await eventually(async () => {
        const { events } = await started.fetchHistory();
        expect(events!.some((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'notifyBeforeIntake')).toBe(true);
      });
      return started;
    });
    await workerConnection.close();
    await listed(taskQueue, 1);

    try {
      const outcome = await replay(taskQueue, ['--since', 'P1D']);
      expect(outcome.code).toBe(1);
      expect(summary(outcome)).toMatchObject({ replayed: 1, failed: [handle.workflowId] });
      expect(outcome.stderr.trim()).toMatch(
        new RegExp(
          `^${handle.workflowId} \\(run [0-9a-f-]+\\): DeterminismViolationError: \\[TMPRL1100\\] Nondeterminism error: ` +
            `Activity type of scheduled event 'notifyBeforeIntake' does not match activity type of activity command '\\w+'$`,
        ),
      );
      expect(outcome.stdout).toContain('1 of 1 workflow histories do not replay');
      for (const text of [outcome.stdout, outcome.stderr]) expect(text).not.toContain('Sutrisno');
    } finally {
      await handle.terminate('replay test done');
    }
  }, 120_000);

  it('exits 2 for bad usage, before it connects to anything', async () => {
    for (const args of [['--since', 'last week'], ['--namesapce', 'default'], ['default']]) {
      const outcome = await replay(service.taskQueue, args);
      expect(outcome.code, args.join(' ')).toBe(2);
      expect(outcome.stderr).toContain('usage: npm run replay');
    }
  });
});
