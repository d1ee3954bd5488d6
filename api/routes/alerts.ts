/** `/v1/alerts`: the escalation inbox of the staff in scope; acknowledging and snoozing an alert. */
import { Router } from 'express';
import { z } from '../../domain/schemas.js';
import { inTransaction, type Pool } from '../../db/pool.js';
import type { Actor } from '../../domain/case.js';
import { auditChange } from '../audit-change.js';
import { authorize, mayAccess, permit, scopeCondition, type ScopeColumns } from '../access.js';
import { actorOf } from '../auth.js';
import { page, cursorKey } from '../pagination.js';
import { conflict, notFound, parseOr400 } from '../problem.js';
import { AlertAckBody, AlertListQuery, AlertSnoozeBody } from '../schemas/alerts.js';

const ALERT_COLUMNS = `id::text, kind, case_number AS "caseNumber", stage, step, level, recipient_role AS "recipientRole",
  region_code AS "regionCode", upt_code AS "uptCode", due_at AS "dueAt", created_at AS "createdAt",
  acknowledged_at AS "acknowledgedAt", acknowledged_by AS "acknowledgedBy", snoozed_until AS "snoozedUntil",
  snooze_count AS "snoozeCount"`;

/** A snooze postpones, it never silences: twice per alert at most, a day each at most. */
const SNOOZE_LIMIT = 2;

/** An alert's ID as the API shows it (a bigint, as text): the list's order, newest first, and its cursor. */
const ALERT_ID = z.string().regex(/^\d{1,18}$/);

const SCOPE_COLUMNS: ScopeColumns = { recipientRole: 'recipient_role', regionCode: 'region_code', uptCode: 'upt_code' };

export function alertRoutes(pool: Pool): Router {
  const router = Router();

  router.get('/', permit('alert.list'), async (req, res) => {
    const query = parseOr400(AlertListQuery, req.query, 'query');
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = [scopeCondition(actorOf(res), 'alert.list', SCOPE_COLUMNS, param)];
    if (query.caseNumber) where.push(`case_number = ${param(query.caseNumber)}`);
    if (query.status) where.push(STATUS_CONDITION[query.status]);
    // Those the reader may act on: the rule of alert.ack, so the list and the action never disagree.
    if (query.addressedToUs) where.push(scopeCondition(actorOf(res), 'alert.ack', SCOPE_COLUMNS, param));
    const after = cursorKey('alerts', query.cursor, ALERT_ID);
    if (after !== undefined) where.push(`alerts.id < ${param(after)}`);
    const { rows } = await pool.query<{ id: string }>(
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE ${where.join(' AND ')} ORDER BY alerts.id DESC LIMIT ${param(query.limit + 1)}`,
      params,
    );
    res.json(page(req, res, 'alerts', rows, query.limit, (row) => row.id));
  });

  router.post('/:id/ack', permit('alert.ack'), async (req, res) => {
    const actor = actorOf(res);
    const body = parseOr400(AlertAckBody, req.body ?? {}, 'body');
    const alert = await alertFor(pool, actor, String(req.params.id), 'alert.ack');
    const acknowledged = await inTransaction(pool, async (client) => {
      // Acknowledging twice keeps (and audits) the first acknowledgement only.
      const first = await client.query(
        `UPDATE alerts SET acknowledged_at = now(), acknowledged_by = $2, acknowledgement_note = $3
         WHERE id = $1 AND acknowledged_at IS NULL RETURNING ${ALERT_COLUMNS}`,
        [alert.id, actor.agencyId, body.note ?? null],
      );
      if (!first.rows[0]) return (await client.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, [alert.id])).rows[0];
      await auditChange(client, req, actor, {
        entryKey: `alert/${alert.id}/ack`,
        caseNumber: alert.caseNumber,
        action: 'alert.ack',
        target: alert.id,
        body,
        details: { alertId: alert.id },
      });
      return first.rows[0];
    });
    res.json(acknowledged);
  });

  router.post('/:id/snooze', permit('alert.snooze'), async (req, res) => {
    const actor = actorOf(res);
    const body = parseOr400(AlertSnoozeBody, req.body ?? {}, 'body');
    const alert = await alertFor(pool, actor, String(req.params.id), 'alert.snooze');
    const snoozed = await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ snoozeCount: number }>(
        `UPDATE alerts SET snoozed_until = now() + make_interval(secs => $2 / 1000.0), snooze_count = snooze_count + 1
         WHERE id = $1 AND acknowledged_at IS NULL AND snooze_count < $3 RETURNING ${ALERT_COLUMNS}`,
        [alert.id, body.for.ms, SNOOZE_LIMIT],
      );
      if (!rows[0]) throw conflict(`Only an open alert can be snoozed, at most ${SNOOZE_LIMIT} times`);
      await auditChange(client, req, actor, {
        entryKey: `alert/${alert.id}/snooze-${rows[0].snoozeCount}`,
        caseNumber: alert.caseNumber,
        action: 'alert.snooze',
        target: alert.id,
        body: { for: body.for.iso },
        details: { alertId: alert.id, for: body.for.iso },
      });
      return rows[0];
    });
    res.json(snoozed);
  });

  return router;
}

const STATUS_CONDITION = {
  open: '(acknowledged_at IS NULL AND (snoozed_until IS NULL OR snoozed_until <= now()))',
  snoozed: '(acknowledged_at IS NULL AND snoozed_until > now())',
  acknowledged: 'acknowledged_at IS NOT NULL',
} as const;

interface AlertSubject {
  id: string;
  caseNumber: string;
  recipientRole: string;
  regionCode: string | null;
  uptCode: string | null;
}

/** The alert, when the agency may see it (404 otherwise: its existence is not disclosed) and act on it (403). */
async function alertFor(pool: Pool, actor: Actor, id: string, action: 'alert.ack' | 'alert.snooze'): Promise<AlertSubject> {
  const alert = ALERT_ID.safeParse(id).success
    ? (await pool.query<AlertSubject>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, [id])).rows[0]
    : undefined;
  if (!alert || !mayAccess(actor, 'alert.list', alert)) throw notFound('No such alert for your agency');
  authorize(actor, action, alert);
  return alert;
}
