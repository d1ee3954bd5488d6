/** `/v1/sla-policies`: the SLA per step; a change applies to steps entered afterwards. */
import { Router } from 'express';
import { appendAudit } from '../../audit/trail.js';
import { inTransaction, type Pool } from '../../db/pool.js';
import { permit } from '../access.js';
import { actorOf } from '../auth.js';
import { parseOr400 } from '../problem.js';
import { requestHash } from '../request-hash.js';
import { requestIdOf } from '../request-id.js';
import { SlaPolicyBody, SlaStepParam } from '../schemas.js';

const POLICY_COLUMNS = `step, duration, calendar, anchor, escalation, version, updated_at AS "updatedAt", updated_by AS "updatedBy"`;

export function slaPolicyRoutes(pool: Pool): Router {
  const router = Router();

  router.get('/', permit('sla_policy.list'), async (_req, res) => {
    const { rows } = await pool.query(`SELECT ${POLICY_COLUMNS} FROM sla_policies ORDER BY step`);
    res.json({ items: rows });
  });

  router.put('/:step', permit('sla_policy.change'), async (req, res) => {
    const actor = actorOf(res);
    const step = parseOr400(SlaStepParam, req.params.step, 'path');
    const change = parseOr400(SlaPolicyBody, req.body, 'body');
    const policy = await inTransaction(pool, async (client) => {
      const { rows } = await client.query(
        `UPDATE sla_policies SET duration = $2, calendar = $3, anchor = coalesce($4, anchor),
           escalation = coalesce($5, escalation), version = version + 1, updated_at = now(), updated_by = $6
         WHERE step = $1 RETURNING ${POLICY_COLUMNS}`,
        [step, change.duration, change.calendar, change.anchor ?? null,
          change.escalation ? JSON.stringify(change.escalation) : null, actor.agencyId],
      );
      await appendAudit(client, {
        entryKey: `sla-policy/${step}/v${rows[0].version}`, caseNumber: null, action: 'sla_policy.change', agencyId: actor.agencyId,
        role: actor.role, requestId: requestIdOf(req), requestHash: requestHash('sla_policy.change', step, change),
        at: new Date().toISOString(), details: { step, version: rows[0].version },
      });
      return rows[0];
    });
    res.json(policy);
  });

  return router;
}
