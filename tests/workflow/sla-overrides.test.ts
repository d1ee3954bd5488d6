/**
 * Supervisor overrides on the SLA clock, on the time-skipping test server with the real
 * activities and PostgreSQL: a paused clock raises nothing however long the pause, and after
 * the resume the escalation comes exactly the paused time later; an extension moves the rungs
 * still to come, not the alerts already raised.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { createPool, type Pool } from '../../db/pool.js';
import type { Actor } from '../../domain/case.js';
import type { CaseView } from '../../domain/case-view.js';
import { bundleCaseWorkflows } from '../../worker/create-worker.js';
import {
  caseView, caseWorkflowId, extendSla, pauseSla, resumeSla, WORKFLOW_TYPE, type CaseIntake,
} from '../../workflows/messages.js';
import { testDataConverter } from '../support/encryption.js';
import { eventually, quietTemporalRuntime } from '../support/service.js';
import { timeSkippingEnvironment } from '../support/time-skipping.js';

let env: TestWorkflowEnvironment;
let pool: Pool;

beforeAll(async () => {
  quietTemporalRuntime();
  pool = createPool(inject('databaseUrl'), 3);
  env = await timeSkippingEnvironment();
});

afterAll(async () => {
  await env?.teardown();
  await pool?.end();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const supervisor: Actor = { agencyId: 'agency-supervisor', role: 'supervisor', regionCode: null, uptCode: null };
const request = <T>(input: T) => ({ input, actor: supervisor, requestKey: randomUUID(), requestHash: randomUUID() });

async function alertLevels(caseNumber: string): Promise<number[]> {
  const { rows } = await pool.query<{ level: number }>('SELECT level FROM alerts WHERE case_number = $1 ORDER BY level', [caseNumber]);
  return rows.map((row) => row.level);
}

/** Runs a fresh identification case (2-day continuous SLA) on its own worker. */
async function withCase(test: (handle: ReturnType<TestWorkflowEnvironment['client']['workflow']['getHandle']>, caseNumber: string, opened: CaseView) => Promise<void>) {
  const taskQueue = `sla-overrides-${randomUUID()}`;
  const caseNumber = `3578-2026-8${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, workflowBundle: await bundleCaseWorkflows(), activities: createActivities(pool, { temporal: env.client, taskQueue }), dataConverter: testDataConverter,
  });
  await worker.runUntil(async () => {
    const intake: CaseIntake = {
      caseNumber,
      report: { ppksType: 'gelandangan', foundAt: '2026-11-20T07:00:00+07:00', foundRegion: '35.78', person: { sex: 'M' } },
      reportedBy: { agencyId: 'agency-test', role: 'satpol_pp', regionCode: '35.78', uptCode: null },
      requestHash: 'intake-hash',
    };
    const handle = await env.client.workflow.start(WORKFLOW_TYPE, { taskQueue, workflowId: caseWorkflowId(caseNumber), args: [intake] });
    const opened = await eventually(async () => {
      const view = await handle.query(caseView);
      expect(view.sla).not.toBeNull();
      return view;
    });
    await test(handle, caseNumber, opened);
    await handle.terminate('test finished');
  });
}

it('raises nothing while paused, and escalates the paused time later after the resume', async () => {
  await withCase(async (handle, caseNumber, opened) => {
    const dueAt = new Date(opened.sla!.dueAt).getTime();
    await env.sleep(DAY);
    await handle.executeUpdate(pauseSla, { args: [request({ reason: 'hospital stay' })] });
    await env.sleep(5 * DAY);
    expect(await alertLevels(caseNumber)).toEqual([]);
    const resumed = await handle.executeUpdate(resumeSla, { args: [request({ reason: 'discharged' })] });
    const pausedMs = resumed.sla!.pausedMs!;
    expect(pausedMs).toBeGreaterThanOrEqual(5 * DAY);
    expect(new Date(resumed.sla!.dueAt).getTime()).toBe(dueAt + pausedMs);

    await env.sleep(DAY - 60_000);
    expect(await alertLevels(caseNumber)).toEqual([]);
    await env.sleep(2 * 60_000);
    await eventually(async () => expect(await alertLevels(caseNumber)).toEqual([1]));
  });
});

it('moves the rungs still to come by an extension, and keeps the alerts already raised', async () => {
  await withCase(async (handle, caseNumber, opened) => {
    const dueAt = new Date(opened.sla!.dueAt).getTime();
    await env.sleep(2 * DAY + 60_000);
    await eventually(async () => expect(await alertLevels(caseNumber)).toEqual([1]));
    const extended = await handle.executeUpdate(extendSla, { args: [request({ extendBy: 'P1D', reason: 'Dukcapil system down' })] });
    expect(new Date(extended.sla!.dueAt).getTime()).toBe(dueAt + DAY);
    expect(extended.sla!.breached).toBe(false);
    // Level 2 was due one day after the due time; now one day after the extended one.
    await env.sleep(DAY);
    expect(await alertLevels(caseNumber)).toEqual([1]);
    await env.sleep(DAY);
    await eventually(async () => expect(await alertLevels(caseNumber)).toEqual([1, 2]));
  });
});
