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
import { workflowTracingSinks } from '../../observability/tracing.js';
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

  it('take every patch the workflow code calls somewhere, and patches.ts lists no other', () => {
    // Collected from the source: a new patched() call fails here until a history records it.
    const called = patchedCallsInSource().map(
      (name) => PATCHES[name as keyof typeof PATCHES] ?? `patched(${name}) names no constant of patches.ts`,
    );
    expect(called.length).toBeGreaterThan(0);
    const taken = new Set(histories.flatMap(patchesIn));
    expect(called.filter((patch) => !taken.has(patch))).toEqual([]);
    expect([...new Set(called)].sort()).toEqual(Object.values(PATCHES).sort());
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
    // The workflow derives keys from its ID: replay under the ID it ran with.
    const workflowId = history.events![0]!.workflowExecutionStartedEventAttributes!.workflowId!;
    expect(workflowId).toMatch(/^case-\d{4}-\d{4}-\d{6}$/);
    await expect(
      Worker.runReplayHistory({ workflowBundle, dataConverter: testDataConverter, sinks: workflowTracingSinks() }, history, workflowId),
    ).resolves.toBeUndefined();
  });
});

/** What every `patched(...)` call in workflows/ names (not in `code` quotes): a constant of patches.ts, else the call as written. */
function patchedCallsInSource(): string[] {
  const root = new URL('../../workflows/', import.meta.url);
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  return files.flatMap((file) =>
    [...readFileSync(new URL(file, root), 'utf8').matchAll(/(?<![`\w.])patched\(([^)]*)\)/g)].map((m) => m[1]!.trim()),
  );
}

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
