/**
 * Every recorded case history (tests/histories, one per path) must replay against the current
 * workflow code: a change that would break running cases fails here. Re-record with
 * `npm run record-histories` only when the change is versioned (see README).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleCaseWorkflows } from '../../worker/create-worker.js';
import { quietTemporalRuntime } from '../support/service.js';

const directory = new URL('../histories/', import.meta.url);
const histories = readdirSync(directory).filter((file) => file.endsWith('.json'));
let workflowBundle: WorkflowBundle;

beforeAll(async () => {
  quietTemporalRuntime();
  workflowBundle = await bundleCaseWorkflows();
});

describe('recorded histories', () => {
  it('include a placement and a repatriation case', () => {
    expect(histories).toEqual(expect.arrayContaining(['placement-to-closure.json', 'repatriation-to-closure.json']));
  });

  it.each(histories)('%s replays against the current workflow code', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(new URL(file, directory), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle }, history, file)).resolves.toBeUndefined();
  });
});
