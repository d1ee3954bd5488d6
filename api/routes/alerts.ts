/** `/v1/alerts`: the escalation inbox of the staff in scope, and acknowledging an alert. */
import { Router } from 'express';
import type { Pool } from '../../db/pool.js';
import type { Actor } from '../../domain/case.js';
import { actorOf } from '../auth.js';
import { forbidden, notFound, parseOr400 } from '../problem.js';
import { AlertAckBody, AlertListQuery } from '../schemas.js';

const ALERT_COLUMNS = `id::text, kind, case_number AS "caseNumber", stage, step, level, recipient_role AS "recipientRole",
  region_code AS "regionCode", upt_code AS "uptCode", due_at AS "dueAt", created_at AS "createdAt",
  acknowledged_at AS "acknowledgedAt", acknowledged_by AS "acknowledgedBy"`;

/** A SQL condition (with its parameters from `next`) for the alerts an agency sees. */
function visibleTo(actor: Actor, next: (value: unknown) => string): string {
  switch (actor.role) {
    case 'supervisor':
    case 'auditor':
    case 'dinsos_prov':
      return 'true';
    default:
      return recipientIs(actor, next);
  }
}

/**
 * The alerts an agency is a recipient of, and so may acknowledge. Supervisors answer for the
 * head of office, who has no API key of their own.
 */
function recipientIs(actor: Actor, next: (value: unknown) => string): string {
  switch (actor.role) {
    case 'supervisor':
      return `recipient_role IN ('supervisor', 'head_of_office')`;
    case 'auditor':
      return 'false';
    case 'dinsos_kabkota':
      return `(recipient_role = 'dinsos_kabkota' AND region_code = ${next(actor.regionCode)})`;
    case 'upt':
      return `(recipient_role = 'upt' AND upt_code = ${next(actor.uptCode)})`;
    default:
      return `recipient_role = ${next(actor.role)}`;
  }
}

export function alertRoutes(pool: Pool): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = parseOr400(AlertListQuery, req.query, 'query');
    const params: unknown[] = [];
    const next = (value: unknown) => `$${params.push(value)}`;
    const where = [visibleTo(actorOf(res), next)];
    if (query.caseNumber) where.push(`case_number = ${next(query.caseNumber)}`);
    if (query.status) where.push(query.status === 'open' ? 'acknowledged_at IS NULL' : 'acknowledged_at IS NOT NULL');
    const { rows } = await pool.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT 500`, params);
    res.json({ items: rows });
  });

  router.post('/:id/ack', async (req, res) => {
    const actor = actorOf(res);
    const body = parseOr400(AlertAckBody, req.body ?? {}, 'body');
    const id = /^\d{1,18}$/.test(req.params.id) ? req.params.id : null;
    if (!id) throw notFound('No such alert');
    const params: unknown[] = [id];
    const next = (value: unknown) => `$${params.push(value)}`;
    const found = await pool.query<{ recipient: boolean }>(
      `SELECT ${recipientIs(actor, next)} AS recipient FROM alerts WHERE id = $1 AND ${visibleTo(actor, next)}`,
      params,
    );
    if (!found.rows[0]) throw notFound('No such alert for your agency');
    if (!found.rows[0].recipient) throw forbidden('Only the recipients of an alert acknowledge it');
    // Acknowledging twice keeps the first acknowledgement.
    const { rows } = await pool.query(
      `UPDATE alerts SET acknowledged_at = coalesce(acknowledged_at, now()),
         acknowledged_by = coalesce(acknowledged_by, $2), acknowledgement_note = coalesce(acknowledgement_note, $3)
       WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
      [id, actor.agencyId, body.note ?? null],
    );
    res.json(rows[0]);
  });

  return router;
}
