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
import { AUDIT_TRAIL_PATCH } from '../../workflows/audit.js';
import { REOPEN_WINDOW_PATCH, RESERVATION_LAPSE_PATCH } from '../../workflows/case.js';
import { testDataConverter } from '../support/encryption.js';
import { quietTemporalRuntime } from '../support/service.js';

const directory = new URL('../histories/', import.meta.url);
const histories = readdirSync(directory).filter((file) => file.endsWith('.json'));
let workflowBundle: WorkflowBundle;

beforeAll(async () => {
  quietTemporalRuntime();
  workflowBundle = await bundleCaseWorkflows();
});

describe('recorded histories', () => {
  it('include a placement and a repatriation case from before each patch, and from after it', () => {
    expect(histories).toEqual(expect.arrayContaining(['placement-to-closure.json', 'repatriation-to-closure.json']));
    for (const patch of [AUDIT_TRAIL_PATCH, REOPEN_WINDOW_PATCH]) {
      const taking = histories.filter((file) => patchesIn(file).includes(patch));
      expect(new Set(taking.map((file) => file.split('.')[0])), patch).toEqual(new Set(['placement-to-closure', 'repatriation-to-closure']));
    }
    // Only a placement holds a bed.
    expect(histories.filter((file) => patchesIn(file).includes(RESERVATION_LAPSE_PATCH)).map((file) => file.split('.')[0])).toEqual(['placement-to-closure']);
  });

  // Through the payload codec, as the worker runs: histories from before encryption pass through it.
  it.each(histories)('%s replays against the current workflow code', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(new URL(file, directory), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle, dataConverter: testDataConverter }, history, file)).resolves.toBeUndefined();
  });
});

/** The patch IDs a history's workflow took (`patched()` markers). */
function patchesIn(file: string): string[] {
  const { events } = JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as {
    events: { markerRecordedEventAttributes?: { markerName: string; details: Record<string, { payloads: { data: string }[] }> } }[];
  };
  return events
    .map((event) => event.markerRecordedEventAttributes)
    .filter((marker) => marker?.markerName === 'core_patch')
    .map((marker) => JSON.parse(Buffer.from(marker!.details['patch-data']!.payloads[0]!.data, 'base64').toString()).id);
}

