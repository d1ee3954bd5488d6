/**
 * Supervisor overrides on the SLA clock, on the time-skipping test server with the real
 * activities and PostgreSQL: a paused clock raises nothing however long the pause, and after
 * the resume the escalation comes exactly the paused time later; an extension moves the rungs
 * still to come, not the alerts already raised.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Actor } from '../../domain/case.js';
import { stepUpdate } from '../../workflows/messages.js';
import { eventually } from '../support/service.js';
import { alertLevels, timeSkippingSuite, withStalledCase } from '../support/time-skipping.js';

const t = timeSkippingSuite();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const supervisor: Actor = { agencyId: 'agency-supervisor', role: 'supervisor', regionCode: null, uptCode: null };
const request = <T>(input: T) => ({ input, actor: supervisor, requestKey: randomUUID(), requestHash: randomUUID() });

it('raises nothing while paused, and escalates the paused time later after the resume', async () => {
  await withStalledCase(t.env, t.pool, async (handle, caseNumber, opened) => {
    const dueAt = new Date(opened.sla!.dueAt).getTime();
    await t.env.sleep(DAY);
    await handle.executeUpdate(stepUpdate('pauseSla'), { args: [request({ reason: 'hospital stay' })] });
    await t.env.sleep(5 * DAY);
    expect(await alertLevels(t.pool, caseNumber)).toEqual([]);
    const resumed = await handle.executeUpdate(stepUpdate('resumeSla'), { args: [request({ reason: 'discharged' })] });
    const pausedMs = resumed.sla!.pausedMs!;
    expect(pausedMs).toBeGreaterThanOrEqual(5 * DAY);
    expect(new Date(resumed.sla!.dueAt).getTime()).toBe(dueAt + pausedMs);

    await t.env.sleep(DAY - 60_000);
    expect(await alertLevels(t.pool, caseNumber)).toEqual([]);
    await t.env.sleep(2 * 60_000);
    await eventually(async () => expect(await alertLevels(t.pool, caseNumber)).toEqual([1]));
  });
});

it('moves the rungs still to come by an extension, and keeps the alerts already raised', async () => {
  await withStalledCase(t.env, t.pool, async (handle, caseNumber, opened) => {
    const dueAt = new Date(opened.sla!.dueAt).getTime();
    await t.env.sleep(2 * DAY + 60_000);
    await eventually(async () => expect(await alertLevels(t.pool, caseNumber)).toEqual([1]));
    const extended = await handle.executeUpdate(stepUpdate('extendSla'), {
      args: [request({ extendBy: 'P1D', reason: 'Dukcapil system down' })],
    });
    expect(new Date(extended.sla!.dueAt).getTime()).toBe(dueAt + DAY);
    expect(extended.sla!.breached).toBe(false);
    // Level 2 was due one day after the due time; now one day after the extended one.
    await t.env.sleep(DAY);
    expect(await alertLevels(t.pool, caseNumber)).toEqual([1]);
    await t.env.sleep(DAY);
    await eventually(async () => expect(await alertLevels(t.pool, caseNumber)).toEqual([1, 2]));
  });
});
