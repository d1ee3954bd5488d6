/**
 * A case that lives for years: a two-year UPT stay with monthly reviews, on the time-skipping
 * server. The case continues as new while it goes on, every run stays small, a request replayed
 * after the continue-as-new changes nothing, and the case ends correctly.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Actor } from '../../domain/case.js';
import { caseView, caseWorkflowId, stepUpdateId, stepUpdate } from '../../workflows/messages.js';
import { timeSkippingSuite, withStalledCase } from '../support/time-skipping.js';

const t = timeSkippingSuite();
const DAY = 24 * 3_600_000;
const as = (role: Actor['role'], uptCode: string | null = null): Actor => ({ agencyId: `agency-${role}`, role, regionCode: null, uptCode });
const upt = as('upt', 'balai_prs_pmks_sidoarjo');

function request<T>(actor: Actor, input: T, key = randomUUID()) {
  const requestHash = `hash-${key}`;
  return {
    args: [{ input, actor, requestKey: key, requestHash }] as [{ input: T; actor: Actor; requestKey: string; requestHash: string }],
    updateId: stepUpdateId(key, requestHash),
  };
}

it('lives two years in a UPT with monthly reviews, continuing as new, and ends correctly', { timeout: 240_000 }, async () => {
  await withStalledCase(t.env, t.pool, async (handle, caseNumber) => {
    await handle.executeUpdate(stepUpdate('recordIdentification'), request(as('dukcapil'), { outcome: 'not_matched' as const }));
    await handle.executeUpdate(stepUpdate('recordAddress'), request(as('dinsos_prov'), { outcome: 'not_found' as const }));
    expect((await handle.executeUpdate(stepUpdate('recordAdmission'), request(upt, {}))).stage).toBe('follow_up');

    // The handle from the start is bound to the first run: follow the case's latest run instead.
    const latest = t.env.client.workflow.getHandle(caseWorkflowId(caseNumber));
    const firstVisit = randomUUID();
    const runs = new Set<string>();
    for (let month = 1; month <= 24; month++) {
      await t.env.sleep(29 * DAY);
      const outcome = month === 24 ? 'independent' : 'stable';
      await latest.executeUpdate(stepUpdate('recordFollowUp'), request(upt, { outcome } as const, month === 1 ? firstVisit : undefined));
      runs.add((await latest.describe()).runId);
    }
    expect(runs.size).toBeGreaterThan(1);

    const ended = await latest.query(caseView);
    expect(ended).toMatchObject({ status: 'closed', outcome: 'independent', upt: 'balai_prs_pmks_sidoarjo' });
    expect(ended.steps.filter((step) => step.outcome === 'stable')).toHaveLength(23);
    // The first visit again, in a later run: Temporal no longer knows its Update ID; the case does.
    const replayed = await latest.executeUpdate(stepUpdate('recordFollowUp'), request(upt, { outcome: 'stable' as const }, firstVisit));
    expect(replayed.steps).toHaveLength(ended.steps.length);

    for (const runId of runs) {
      const history = await t.env.client.workflow.getHandle(caseWorkflowId(caseNumber), runId).fetchHistory();
      expect(history.events?.length).toBeLessThan(700);
    }
    const { rows } = await t.pool.query(`SELECT status FROM bed_reservations WHERE case_number = $1`, [caseNumber]);
    expect(rows[0].status).toBe('released');
    const audited = await t.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE case_number = $1 AND action = 'case.follow_up'`, [
      caseNumber,
    ]);
    expect(audited.rows[0].n).toBe(24);
  });
});
