/**
 * What the full view of one case says about the person's other cases: candidates still to be
 * decided, the cases a supervisor linked (directly or through other linked cases), and whether
 * the person was repatriated before (help Dinsos Jatim grants once per lifetime). A reader sees
 * only the other cases its role may read: a regional agency cannot learn through a probe intake
 * that a NIK or a name has a case elsewhere. Provincial staff and supervisors, who may read
 * every case, see them all and resolve them.
 */
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/case.js';
import type { CaseView } from '../domain/case-view.js';
import { mayAccess, type ScopeSubject } from './access.js';
import type { Candidate } from './repeat-clients.js';

export interface CaseLinks {
  possibleMatches: Candidate[];
  linkedCases: { caseNumber: string; repatriatedOn: string | null }[];
  repatriatedBefore: { caseNumber: string | null; on: string } | null;
}

export async function caseLinks(pool: Pool, view: CaseView, reader: Actor): Promise<CaseLinks> {
  const possible = await pool.query<Candidate & ScopeSubject>(
    `SELECT m."caseNumber", m.score, m.reasons, c.found_region AS "foundRegion", c.home_region AS "homeRegion", c.upt_code AS upt
     FROM (SELECT CASE WHEN case_number = $1 THEN other_case_number ELSE case_number END AS "caseNumber", score::float8 AS score, reasons
           FROM case_matches WHERE (case_number = $1 OR other_case_number = $1) AND decision IS NULL) m
     LEFT JOIN cases c ON c.case_number = m."caseNumber"
     ORDER BY m.score DESC, 1`,
    [view.caseNumber],
  );
  // A case not in the index yet has no scope to check: only readers of every case see it.
  const readable = (other: ScopeSubject) => mayAccess(reader, 'case.read', other);
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
  const allLinked = linked.rows.map((row) => ({
    caseNumber: row.caseNumber,
    repatriatedOn: row.view ? repatriationDate(row.view) : null,
    readable: readable(row.view ?? {}),
  }));
  // Only a repatriation on or before this case's opening counts as "before".
  const opened = view.openedAt.slice(0, 10);
  const before = allLinked
    .filter(
      (linkedCase): linkedCase is typeof linkedCase & { repatriatedOn: string } =>
        linkedCase.repatriatedOn !== null && linkedCase.repatriatedOn <= opened,
    )
    .sort((a, b) => a.repatriatedOn.localeCompare(b.repatriatedOn))[0];
  return {
    possibleMatches: possible.rows.filter(readable).map(({ caseNumber, score, reasons }) => ({ caseNumber, score, reasons })),
    linkedCases: allLinked
      .filter((linkedCase) => linkedCase.readable)
      .map(({ caseNumber, repatriatedOn }) => ({ caseNumber, repatriatedOn })),
    // The once-per-lifetime help depends on the date; the case number only for a reader of that case.
    repatriatedBefore: before ? { caseNumber: before.readable ? before.caseNumber : null, on: before.repatriatedOn } : null,
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
