/**
 * After the faults: reads every case over the API until each is where its path says it must be
 * (or the time is up), so that the checks look at a service that has caught up.
 */
import type { CaseView } from '../domain/case-view.js';
import type { Pool } from '../db/pool.js';
import { type AgencyClient, sleep } from './http.js';
import { type CaseRun, mismatch } from './case-driver.js';

export interface Settled {
  views: Map<string, CaseView>;
  /** The case index row of each case (stage and status), for the checks. */
  index: Map<string, { stage: string; status: string }>;
  settledAfterMs: number;
  settled: boolean;
}

export async function settle(runs: CaseRun[], supervisor: AgencyClient, pool: Pool, timeoutMs: number): Promise<Settled> {
  const started = Date.now();
  const views = new Map<string, CaseView>();
  const index = new Map<string, { stage: string; status: string }>();
  const numbered = runs.filter((run): run is CaseRun & { caseNumber: string } => run.caseNumber !== null);
  let pending = numbered;
  for (;;) {
    await Promise.all(
      pending.map(async (run) => {
        const answer = await supervisor.get(`/v1/cases/${run.caseNumber}`).catch(() => null);
        if (answer?.status === 200) views.set(run.caseNumber, answer.body as CaseView);
      }),
    );
    const { rows } = await pool.query<{ case_number: string; stage: string; status: string }>(
      'SELECT case_number, stage, status FROM cases WHERE case_number = ANY($1)',
      [numbered.map((run) => run.caseNumber)],
    );
    for (const row of rows) index.set(row.case_number, { stage: row.stage, status: row.status });
    pending = numbered.filter((run) => {
      const view = views.get(run.caseNumber);
      const indexed = index.get(run.caseNumber);
      if (!view || !indexed || indexed.stage !== view.stage || indexed.status !== view.status) return true;
      // A case whose driver stopped early has no expectation: it is read once more, then left to the checks.
      return run.expected !== null && mismatch(run.expected, view) !== null;
    });
    const elapsed = Date.now() - started;
    if (pending.length === 0 || elapsed > timeoutMs) return { views, index, settledAfterMs: elapsed, settled: pending.length === 0 };
    await sleep(3_000);
  }
}
