/**
 * The escalation ladder as data, on the time-skipping test server with the real activities and
 * PostgreSQL: reminders before the due time (stopped once the owner acknowledges, while the
 * ladder goes on), and a policy change rolled out to a running clock by an Update.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Actor } from '../../domain/case.js';
import { applySlaPolicy } from '../../workflows/messages.js';
import { eventually } from '../support/service.js';
import { timeSkippingSuite, withStalledCase } from '../support/time-skipping.js';

const t = timeSkippingSuite();

const HOUR = 3_600_000;
const supervisor: Actor = { agencyId: 'agency-supervisor', role: 'supervisor', regionCode: null, uptCode: null };

/** An identification policy for one PPKS type only (no other test uses these types). */
async function withOverride<T>(ppksType: string, duration: string, escalation: unknown[], run: () => Promise<T>): Promise<T> {
  await t.pool.query(
    `INSERT INTO sla_policies (step, ppks_type, duration, calendar, anchor, escalation, version) VALUES ('identification', $1, $2, 'continuous', 'stage_entered', $3, 1)`,
    [ppksType, duration, JSON.stringify(escalation)],
  );
  try {
    return await run();
  } finally {
    await t.pool.query(`DELETE FROM sla_policies WHERE step = 'identification' AND ppks_type = $1`, [ppksType]);
  }
}

async function alertsOf(caseNumber: string): Promise<string[]> {
  const { rows } = await t.pool.query<{ kind: string; level: number }>(
    'SELECT kind, level FROM alerts WHERE case_number = $1 ORDER BY id',
    [caseNumber],
  );
  return rows.map((row) => `${row.kind}:${row.level}`);
}

it('reminds the owner before the due time until acknowledged, and escalates regardless', async () => {
  const ladder = [
    { kind: 'reminder', atPercent: 25, recipient: 'owner' },
    { kind: 'reminder', atPercent: 75, recipient: 'owner' },
    { level: 1, after: 'PT0S', recipient: 'owner' },
  ];
  await withOverride('bwblp', 'P4D', ladder, () =>
    withStalledCase(
      t.env,
      t.pool,
      async (_handle, caseNumber) => {
        await t.env.sleep(24 * HOUR + 60_000); // 25 % of four days
        await eventually(async () => expect(await alertsOf(caseNumber)).toEqual(['sla_reminder:0']));
        await t.pool.query(`UPDATE alerts SET acknowledged_at = now(), acknowledged_by = 'agency-dukcapil' WHERE case_number = $1`, [
          caseNumber,
        ]);

        await t.env.sleep(2 * 24 * HOUR); // past 75 %: acknowledged, so no second reminder
        expect(await alertsOf(caseNumber)).toEqual(['sla_reminder:0']);
        await t.env.sleep(24 * HOUR);
        await eventually(async () => expect(await alertsOf(caseNumber)).toEqual(['sla_reminder:0', 'sla_breach:1']));
      },
      'bwblp',
    ),
  );
});

it('puts a running clock under a new policy when a supervisor rolls it out', async () => {
  await withStalledCase(
    t.env,
    t.pool,
    async (handle, caseNumber, opened) => {
      const startedAt = new Date(opened.stays![0]!.enteredAt).getTime();
      expect(new Date(opened.sla!.dueAt).getTime() - startedAt).toBe(48 * HOUR); // the default
      await withOverride('odha', 'P1D', [{ level: 1, after: 'PT0S', recipient: 'owner' }], async () => {
        const applied = await handle.executeUpdate(applySlaPolicy, {
          args: [{ input: { step: 'identification' }, actor: supervisor, requestKey: randomUUID(), requestHash: randomUUID() }],
        });
        expect(new Date(applied.sla!.dueAt).getTime() - startedAt).toBe(24 * HOUR);
        expect(applied.steps.at(-1)).toMatchObject({ outcome: 'sla_policy_applied' });
        await t.env.sleep(24 * HOUR + 60_000);
        await eventually(async () => expect(await alertsOf(caseNumber)).toEqual(['sla_breach:1']));
      });
    },
    'odha',
  );
});
