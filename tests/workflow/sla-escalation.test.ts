/**
 * The SLA clock on Temporal's time-skipping test server, with the real activities and
 * PostgreSQL: a 2-day identification SLA breached raises exactly one alert at the due time,
 * the next level after its delay, and the late step is still accepted.
 */
import { expect, it } from 'vitest';
import { caseView, stepUpdate } from '../../workflows/messages.js';
import { eventually } from '../support/service.js';
import { alertLevels, timeSkippingSuite, withStalledCase } from '../support/time-skipping.js';

const t = timeSkippingSuite();

const HOUR = 3_600_000;

it('escalates a stalled identification once per level, and still accepts the late result', async () => {
  await withStalledCase(t.env, t.pool, async (handle, caseNumber, opened) => {
    const dueAt = new Date(opened.sla!.dueAt).getTime();
    expect(dueAt - new Date(opened.openedAt).getTime()).toBe(48 * HOUR);

    await t.env.sleep(48 * HOUR - 60_000);
    expect(await alertLevels(t.pool, caseNumber)).toEqual([]);

    await t.env.sleep(2 * 60_000);
    await eventually(async () => expect(await alertLevels(t.pool, caseNumber)).toEqual([1]));
    const [alert] = (await t.pool.query('SELECT due_at, recipient_role, created_at FROM alerts WHERE case_number = $1', [caseNumber])).rows;
    expect(alert.recipient_role).toBe('dukcapil');
    expect(new Date(alert.due_at).getTime()).toBe(dueAt);
    const breached = await handle.query(caseView);
    expect(breached).toMatchObject({ escalationLevel: 1, sla: { breached: true } });

    // Level 2 (supervisor) comes one day after the due time, and level 1 is never repeated.
    await t.env.sleep(24 * HOUR - 2 * 60_000);
    expect(await alertLevels(t.pool, caseNumber)).toEqual([1]);
    await t.env.sleep(2 * 60_000);
    await eventually(async () => expect(await alertLevels(t.pool, caseNumber)).toEqual([1, 2]));
    const supervisorAlert = await t.pool.query(
      `SELECT 1 FROM alerts WHERE case_number = $1 AND level = 2 AND recipient_role = 'supervisor'`,
      [caseNumber],
    );
    expect(supervisorAlert.rowCount).toBe(1);

    // Level 3 (head of office) three days after the due time; the Temporal UI shows the breach.
    await t.env.sleep(2 * 24 * HOUR);
    await eventually(async () => expect(await alertLevels(t.pool, caseNumber)).toEqual([1, 2, 3]));
    const attributes = await eventually(async () => {
      const described = await handle.describe();
      const all = Object.fromEntries(described.typedSearchAttributes.getAll().map(({ key, value }) => [key.name, value]));
      expect(all).toMatchObject({ SlaBreached: true, EscalationLevel: 3 });
      return all;
    });
    expect(attributes).toMatchObject({ PpksStage: 'identification', OwnerRole: 'dukcapil', SlaDueAt: new Date(dueAt) });

    const late = await handle.executeUpdate(stepUpdate('recordIdentification'), {
      args: [
        {
          input: { outcome: 'not_matched' },
          actor: { agencyId: 'agency-dukcapil', role: 'dukcapil', regionCode: null, uptCode: null },
          requestKey: 'late-1',
          requestHash: 'h',
        },
      ],
    });
    expect(late).toMatchObject({ stage: 'address_lookup', escalationLevel: 0, sla: { stage: 'address_lookup', breached: false } });
    expect(await alertLevels(t.pool, caseNumber)).toEqual([1, 2, 3]);
  });
});
