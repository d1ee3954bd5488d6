/** Temporal's time-skipping test server, with this service's search attributes registered, and a stalled case on it. */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { createPool, type Pool } from '../../db/pool.js';
import type { CaseView } from '../../domain/case-view.js';
import { bundleCaseWorkflows } from '../../worker/create-worker.js';
import { workflowTracingSinks } from '../../observability/tracing.js';
import type { ppksCase } from '../../workflows/case.js';
import type { IntakeReport } from '../../domain/schemas.js';
import { caseView, caseWorkflowId, type CaseIntake, WORKFLOW_TYPE } from '../../workflows/messages.js';
import { searchAttributeRegistrations } from '../../workflows/search-attributes.js';
import { testDataConverter } from './encryption.js';
import { eventually, quietTemporalRuntime } from './service.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;
const INDEXED_TYPE = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
} as const;

async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
    client: { dataConverter: testDataConverter },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.entries(searchAttributeRegistrations).map(([name, type]) => [name, INDEXED_TYPE[type]])),
  });
  return env;
}

export interface TimeSkippingSuite {
  env: TestWorkflowEnvironment;
  pool: Pool;
}

/** A file of time-skipping tests: the environment and a database pool, set up before and torn down after. */
export function timeSkippingSuite(): TimeSkippingSuite {
  const suite = {} as TimeSkippingSuite;
  beforeAll(async () => {
    quietTemporalRuntime();
    suite.pool = createPool(inject('databaseUrl'), 3);
    suite.env = await timeSkippingEnvironment();
  });
  afterAll(async () => {
    await suite.env?.teardown();
    await suite.pool?.end();
  });
  return suite;
}

export type CaseHandle = WorkflowHandle<typeof ppksCase>;

/**
 * Runs a fresh identification case (2-day continuous SLA, nobody acting) on its own worker with
 * the real activities, hands it to `test`, and terminates it afterwards.
 */
export async function withStalledCase(
  env: TestWorkflowEnvironment,
  pool: Pool,
  test: (handle: CaseHandle, caseNumber: string, opened: CaseView) => Promise<void>,
  ppksType: IntakeReport['ppksType'] = 'gelandangan',
): Promise<void> {
  const taskQueue = `sla-${randomUUID()}`;
  const caseNumber = `3578-2026-9${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleCaseWorkflows(),
    activities: createActivities(pool, { temporal: env.client, taskQueue }),
    dataConverter: testDataConverter,
    sinks: workflowTracingSinks(),
  });
  await worker.runUntil(async () => {
    const intake: CaseIntake = {
      caseNumber,
      report: { ppksType, foundAt: '2026-11-20T07:00:00+07:00', foundRegion: '35.78', person: { sex: 'M' } },
      reportedBy: { agencyId: 'agency-test', role: 'satpol_pp', regionCode: '35.78', uptCode: null },
      requestHash: 'intake-hash',
    };
    const handle = await env.client.workflow.start<typeof ppksCase>(WORKFLOW_TYPE, {
      taskQueue,
      workflowId: caseWorkflowId(caseNumber),
      args: [intake],
    });
    const opened = await eventually(async () => {
      const view = await handle.query(caseView);
      expect(view.sla).not.toBeNull();
      return view;
    });
    await test(handle, caseNumber, opened);
    await env.client.workflow.getHandle(caseWorkflowId(caseNumber)).terminate('test finished'); // the latest run
  });
}

/** The levels of the alerts raised for a case, in order. */
export async function alertLevels(pool: Pool, caseNumber: string): Promise<number[]> {
  const { rows } = await pool.query<{ level: number }>('SELECT level FROM alerts WHERE case_number = $1 ORDER BY level', [caseNumber]);
  return rows.map((row) => row.level);
}
