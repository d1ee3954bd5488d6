/**
 * What the full view of one case says about the person's other cases: candidates still to be
 * decided, the cases a supervisor linked (directly or through other linked cases), and whether
 * the person was repatriated before (help Dinsos Jatim grants once per lifetime).
 */
import type { Pool } from '../db/pool.js';
import type { CaseView } from '../domain/case-view.js';
import type { Candidate } from './repeat-clients.js';

export interface CaseLinks {
  possibleMatches: Candidate[];
  linkedCases: { caseNumber: string; repatriatedOn: string | null }[];
  repatriatedBefore: { caseNumber: string; on: string } | null;
}

export async function caseLinks(pool: Pool, view: CaseView): Promise<CaseLinks> {
  const possible = await pool.query<Candidate>(
    `SELECT CASE WHEN case_number = $1 THEN other_case_number ELSE case_number END AS "caseNumber", score::float8 AS score, reasons
     FROM case_matches WHERE (case_number = $1 OR other_case_number = $1) AND decision IS NULL
     ORDER BY score DESC, 1`,
    [view.caseNumber],
  );
  // Links are transitive: the third visit linked to the second is linked to the first too.
  const linked = await pool.query<{ caseNumber: string; view: CaseView | null }>(
    `WITH RECURSIVE linked (case_number) AS (
       SELECT $1::text
       UNION
       SELECT CASE WHEN m.case_number = l.case_number THEN m.other_case_number ELSE m.case_number END
       FROM case_matches m JOIN linked l ON l.case_number IN (m.case_number, m.other_case_number)
       WHERE m.decision = 'confirmed'
     )
     SELECT l.case_number AS "caseNumber", c.view FROM linked l LEFT JOIN cases c USING (case_number)
     WHERE l.case_number <> $1 ORDER BY c.opened_at NULLS LAST, l.case_number`,
    [view.caseNumber],
  );
  const linkedCases = linked.rows.map((row) => ({
    caseNumber: row.caseNumber,
    repatriatedOn: row.view ? repatriationDate(row.view) : null,
  }));
  // Only a repatriation on or before this case's opening counts as "before".
  const opened = view.openedAt.slice(0, 10);
  const before = linkedCases
    .filter(
      (linkedCase): linkedCase is { caseNumber: string; repatriatedOn: string } =>
        linkedCase.repatriatedOn !== null && linkedCase.repatriatedOn <= opened,
    )
    .sort((a, b) => a.repatriatedOn.localeCompare(b.repatriatedOn))[0];
  return {
    possibleMatches: possible.rows,
    linkedCases,
    repatriatedBefore: before ? { caseNumber: before.caseNumber, on: before.repatriatedOn } : null,
  };
}

/**
 * The day (Asia/Jakarta) the person was handed over at home: the repatriation handover, or the
 * last relay leg to another province. Step times carry +07:00, so their date is the local one.
 */
function repatriationDate(view: CaseView): string | null {
  const home = view.steps.find((step) => (step.stage === 'repatriation' && step.outcome === 'received') || step.outcome === 'relayed_home');
  return home ? home.at.slice(0, 10) : null;
}
