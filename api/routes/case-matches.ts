/**
 * `POST /v1/cases/{n}/matches`: a supervisor confirms or rejects a possible repeat client. A
 * confirmed pair links the two cases (and, through them, every case linked to either); each pair is
 * decided once, and the decision is audited in the same transaction.
 */
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { inTransaction, type Pool } from '../../db/pool.js';
import { auditChange } from '../audit-change.js';
import { authorize, permit } from '../access.js';
import { actorOf } from '../auth.js';
import { fetchCase } from '../case-workflows.js';
import { conflict, notFound, parseOr400 } from '../problem.js';
import { CaseMatchBody } from '../schemas/cases.js';

const CASE_NUMBER = /^\d{4}-\d{4}-\d{6}$/;
const MATCH_COLUMNS = `case_number AS "caseNumber", other_case_number AS "otherCaseNumber", score::float8 AS score, reasons,
  decision, decided_by AS "decidedBy", decided_at AS "decidedAt"`;
/** Either case of a pair may be named in the path, the other in the body. */
const THE_PAIR = '((case_number = $1 AND other_case_number = $2) OR (case_number = $2 AND other_case_number = $1))';

export function caseMatchRoutes(pool: Pool, temporal: Client): Router {
  const router = Router();

  router.post('/:caseNumber/matches', permit('case.match'), async (req, res) => {
    const actor = actorOf(res);
    const body = parseOr400(CaseMatchBody, req.body ?? {}, 'body');
    const caseNumber = String(req.params.caseNumber);
    if (!CASE_NUMBER.test(caseNumber)) throw notFound('No such case: case numbers look like 3578-2026-000001');
    authorize(actor, 'case.match', await fetchCase(temporal, caseNumber));
    const decided = await inTransaction(pool, async (client) => {
      const { rows } = await client.query(
        `UPDATE case_matches SET decision = $3, decided_by = $4, decided_at = now(), decision_reason = $5
         WHERE ${THE_PAIR} AND decision IS NULL RETURNING ${MATCH_COLUMNS}`,
        [caseNumber, body.caseNumber, body.decision, actor.agencyId, body.reason],
      );
      if (!rows[0]) {
        const pair = await client.query(`SELECT 1 FROM case_matches WHERE ${THE_PAIR}`, [caseNumber, body.caseNumber]);
        throw pair.rowCount ? conflict('This possible match was already decided') : notFound('No such possible match for this case');
      }
      await auditChange(client, req, actor, {
        entryKey: `match/${rows[0].caseNumber}/${rows[0].otherCaseNumber}`,
        caseNumber,
        action: 'case.match',
        target: caseNumber,
        body,
        details: { otherCaseNumber: body.caseNumber, decision: body.decision },
      });
      return rows[0];
    });
    res.json(decided);
  });

  return router;
}
