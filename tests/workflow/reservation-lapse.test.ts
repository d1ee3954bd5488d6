/**
 * A reserved UPT bed is held for three days: if the UPT has not admitted the person by then, the
 * reservation lapses, the bed is freed for the next case in line, and this case queues again.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Actor } from '../../domain/case.js';
import { caseView, stepUpdate } from '../../workflows/messages.js';
import { eventually } from '../support/service.js';
import { timeSkippingSuite, withStalledCase } from '../support/time-skipping.js';

const t = timeSkippingSuite();
const DAY = 24 * 3_600_000;
const as = (role: Actor['role']) => ({ agencyId: `agency-${role}`, role, regionCode: null, uptCode: null });
const step = <T>(actor: Actor, input: T) => ({ input, actor, requestKey: randomUUID(), requestHash: randomUUID() });

async function reservation(caseNumber: string): Promise<{ status: string } | undefined> {
  const { rows } = await t.pool.query('SELECT status FROM bed_reservations WHERE case_number = $1', [caseNumber]);
  return rows[0];
}

it('lets a reservation lapse when the UPT does not admit in time, and reserves again', async () => {
  await withStalledCase(t.env, t.pool, async (handle, caseNumber) => {
    await handle.executeUpdate(stepUpdate('recordIdentification'), { args: [step(as('dukcapil'), { outcome: 'not_matched' as const })] });
    const placed = await handle.executeUpdate(stepUpdate('recordAddress'), {
      args: [step(as('dinsos_prov'), { outcome: 'not_found' as const })],
    });
    expect(placed).toMatchObject({ stage: 'placement', upt: 'balai_prs_pmks_sidoarjo' });

    await t.env.sleep(3 * DAY - 60_000);
    expect((await handle.query(caseView)).steps.map((s) => s.outcome)).not.toContain('reservation_lapsed');
    await t.env.sleep(2 * 60_000);
    const lapsedAndAgain = await eventually(async () => {
      const view = await handle.query(caseView);
      expect(view.steps.map((s) => s.outcome).slice(-2)).toEqual(['reservation_lapsed', 'bed_reserved']);
      return view;
    });
    expect(lapsedAndAgain.upt).toBe('balai_prs_pmks_sidoarjo');
    expect(await reservation(caseNumber)).toMatchObject({ status: 'reserved' });

    const admitted = await handle.executeUpdate(stepUpdate('recordAdmission'), {
      args: [step({ ...as('upt'), uptCode: 'balai_prs_pmks_sidoarjo' }, {})],
    });
    expect(admitted.stage).toBe('follow_up');
    await eventually(async () => expect(await reservation(caseNumber)).toMatchObject({ status: 'admitted' }));
  });
});
