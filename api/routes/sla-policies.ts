/** `/v1/sla-policies`: the SLA per step; a change applies to steps entered afterwards. */
import { Router } from 'express';
import type { Pool } from '../../db/pool.js';
import { requireRole } from '../access.js';
import { actorOf } from '../auth.js';
import { parseOr400 } from '../problem.js';
import { SlaPolicyBody, SlaStepParam } from '../schemas.js';

const POLICY_COLUMNS = `step, duration, calendar, anchor, escalation, version, updated_at AS "updatedAt", updated_by AS "updatedBy"`;

export function slaPolicyRoutes(pool: Pool): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    requireRole(actorOf(res), ['supervisor'], 'read SLA policies');
    const { rows } = await pool.query(`SELECT ${POLICY_COLUMNS} FROM sla_policies ORDER BY step`);
    res.json({ items: rows });
  });

  router.put('/:stage', async (req, res) => {
    const actor = actorOf(res);
    requireRole(actor, ['supervisor'], 'change SLA policies');
    const step = parseOr400(SlaStepParam, req.params.stage, 'path');
    const change = parseOr400(SlaPolicyBody, req.body, 'body');
    const { rows } = await pool.query(
      `UPDATE sla_policies SET duration = $2, calendar = $3, anchor = coalesce($4, anchor),
         escalation = coalesce($5, escalation), version = version + 1, updated_at = now(), updated_by = $6
       WHERE step = $1 RETURNING ${POLICY_COLUMNS}`,
      [step, change.duration, change.calendar, change.anchor ?? null,
        change.escalation ? JSON.stringify(change.escalation) : null, actor.agencyId],
    );
    res.json(rows[0]);
  });

  return router;
}

