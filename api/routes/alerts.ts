/** `/v1/alerts`: the escalation inbox of the staff in scope, and acknowledging an alert. */
import { Router } from 'express';
import { appendAudit } from '../../audit/trail.js';
import { inTransaction, type Pool } from '../../db/pool.js';
import { authorize, mayAccess, permit, scopeCondition, type ScopeColumns } from '../access.js';
import { actorOf } from '../auth.js';
import { notFound, parseOr400 } from '../problem.js';
import { requestHash } from '../request-hash.js';
import { requestIdOf } from '../request-id.js';
import { AlertAckBody, AlertListQuery } from '../schemas.js';

const ALERT_COLUMNS = `id::text, kind, case_number AS "caseNumber", stage, step, level, recipient_role AS "recipientRole",
  region_code AS "regionCode", upt_code AS "uptCode", due_at AS "dueAt", created_at AS "createdAt",
  acknowledged_at AS "acknowledgedAt", acknowledged_by AS "acknowledgedBy"`;

const SCOPE_COLUMNS: ScopeColumns = { recipientRole: 'recipient_role', regionCode: 'region_code', uptCode: 'upt_code' };

export function alertRoutes(pool: Pool): Router {
  const router = Router();

  router.get('/', permit('alert.list'), async (req, res) => {
    const query = parseOr400(AlertListQuery, req.query, 'query');
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = [scopeCondition(actorOf(res), 'alert.list', SCOPE_COLUMNS, param)];
    if (query.caseNumber) where.push(`case_number = ${param(query.caseNumber)}`);
    if (query.status) where.push(query.status === 'open' ? 'acknowledged_at IS NULL' : 'acknowledged_at IS NOT NULL');
    const { rows } = await pool.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE ${where.join(' AND ')} ORDER BY alerts.id DESC LIMIT 500`, params);
    res.json({ items: rows });
  });

  router.post('/:id/ack', permit('alert.ack'), async (req, res) => {
    const actor = actorOf(res);
    const body = parseOr400(AlertAckBody, req.body ?? {}, 'body');
    const id = /^\d{1,18}$/.test(String(req.params.id)) ? String(req.params.id) : null;
    const alert = id
      ? (await pool.query<{ caseNumber: string; recipientRole: string; regionCode: string | null; uptCode: string | null }>(
        `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, [id])).rows[0]
      : undefined;
    // An alert the agency may not even see does not exist for it.
    if (!alert || !mayAccess(actor, 'alert.list', alert)) throw notFound('No such alert for your agency');
    authorize(actor, 'alert.ack', alert);
    const acknowledged = await inTransaction(pool, async (client) => {
      // Acknowledging twice keeps (and audits) the first acknowledgement only.
      const first = await client.query(
        `UPDATE alerts SET acknowledged_at = now(), acknowledged_by = $2, acknowledgement_note = $3
         WHERE id = $1 AND acknowledged_at IS NULL RETURNING ${ALERT_COLUMNS}`,
        [id, actor.agencyId, body.note ?? null],
      );
      if (!first.rows[0]) return (await client.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, [id])).rows[0];
      await appendAudit(client, {
        entryKey: `alert/${id}/ack`, caseNumber: alert.caseNumber, action: 'alert.ack', agencyId: actor.agencyId, role: actor.role,
        requestId: requestIdOf(req), requestHash: requestHash('alert.ack', id!, body), at: new Date().toISOString(), details: { alertId: id },
      });
      return first.rows[0];
    });
    res.json(acknowledged);
  });

  return router;
}
