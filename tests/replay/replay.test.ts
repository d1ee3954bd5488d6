/**
 * Every recorded case history (tests/histories, one per path) must replay against the current
 * workflow code: a change that would break running cases fails here. Re-record with
 * `npm run record-histories` only when the change is versioned (see docs/development.md,
 * "Changing the workflow").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleCaseWorkflows } from '../../worker/create-worker.js';
import * as PATCHES from '../../workflows/patches.js';
import {
  AUDIT_TRAIL_PATCH,
  CONTINUE_AS_NEW_PATCH,
  MEDICAL_HOLD_PATCH,
  RELAY_PATCH,
  REOPEN_WINDOW_PATCH,
  RESERVATION_LAPSE_PATCH,
} from '../../workflows/patches.js';
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
      for (const path of ['placement-to-closure', 'repatriation-to-closure']) {
        const recorded = histories.filter((file) => file.startsWith(`${path}.`)).map((file) => patchesIn(file).includes(patch));
        expect(recorded, `${path} before and after ${patch}`).toEqual(expect.arrayContaining([true, false]));
      }
    }
    // The paths that only some cases take, each recorded where it is taken.
    const pathsTaking = (patch: string) => histories.filter((file) => patchesIn(file).includes(patch)).map((file) => file.split('.')[0]);
    expect(pathsTaking(RESERVATION_LAPSE_PATCH)).toEqual(expect.arrayContaining(['placement-to-closure', 'long-stay-first-run']));
    expect(pathsTaking(MEDICAL_HOLD_PATCH)).toEqual(['medical-hold']);
    expect(pathsTaking(RELAY_PATCH)).toEqual(['relay-from-registry']);
    expect(pathsTaking(CONTINUE_AS_NEW_PATCH)).toEqual(['long-stay-first-run']);
  });

  it('take every patch of workflows/patches.ts somewhere', () => {
    const taken = new Set(histories.flatMap(patchesIn));
    expect(Object.values(PATCHES).filter((patch) => !taken.has(patch))).toEqual([]);
  });

  it('include a run that continued as new, and the run it continued in', () => {
    const events = (file: string) =>
      (JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as { events: Record<string, unknown>[] }).events;
    expect(histories.filter((file) => events(file).at(-1)!.workflowExecutionContinuedAsNewEventAttributes)).toEqual([
      'long-stay-first-run.2026-11-28.json',
    ]);
    const continued = histories.filter((file) => {
      const started = events(file)[0]!.workflowExecutionStartedEventAttributes as { continuedExecutionRunId?: string };
      return Boolean(started.continuedExecutionRunId);
    });
    expect(continued).toEqual(['long-stay-continued-run.2026-11-28.json']);
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
