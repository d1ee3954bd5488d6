/**
 * `/v1/webhooks`: where alerts are delivered (signed POSTs, activities/webhooks/delivery.ts), and
 * the state of each delivery. Registering and disabling are audited in the same transaction.
 * A URL must point to a public address or one listed in WEBHOOK_ALLOWED_DESTINATIONS
 * (api/webhook-destinations.ts; checked again at every delivery). The secret is sealed with the
 * payload keyring (encryption/webhook-secrets.ts) before it reaches the database; no response
 * carries it, nor a URL's user name or password.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { inTransaction, type Pool } from '../../db/pool.js';
import { jakartaTime } from '../../domain/case.js';
import { z } from '../../domain/schemas.js';
import { loadPayloadKeyring } from '../../encryption/keys.js';
import { WebhookSecrets } from '../../encryption/webhook-secrets.js';
import { auditChange } from '../audit-change.js';
import { permit } from '../access.js';
import { actorOf } from '../auth.js';
import { cursorKey, page } from '../pagination.js';
import { badRequest, notFound, parseOr400 } from '../problem.js';
import { DeliveryListQuery, WebhookBody } from '../schemas/webhooks.js';
import { checkDestination, DestinationRefused, destinationPolicy, withoutCredentials } from '../webhook-destinations.js';

const time = (value: Date | null) => (value ? jakartaTime(value.getTime()) : null);

/** The webhook the path names, or 404 (also for an ID that cannot be one). */
async function existingWebhookId(pool: Pool, req: Request): Promise<string> {
  const id = String(req.params.id);
  const found = /^webhook_[0-9a-f-]{36}$/.test(id) && (await pool.query('SELECT 1 FROM webhooks WHERE id = $1', [id])).rowCount;
  if (!found) throw notFound('No such webhook');
  return id;
}

export function webhookRoutes(pool: Pool): Router {
  // Loaded now, so that a malformed WEBHOOK_ALLOWED_DESTINATIONS or a missing key stops the start.
  const policy = destinationPolicy();
  const secrets = new WebhookSecrets(loadPayloadKeyring());
  const router = Router();

  router.post('/', permit('webhook.register'), async (req, res) => {
    const actor = actorOf(res);
    const body = parseOr400(WebhookBody, req.body, 'body');
    try {
      // A listed host name is taken as listed, without asking DNS; every delivery resolves it.
      await checkDestination(body.url, policy, { resolveListedHosts: false });
    } catch (error) {
      if (!(error instanceof DestinationRefused)) throw error;
      throw badRequest('The request body is not valid: url', [{ path: 'url', message: error.message }]);
    }
    const id = `webhook_${randomUUID()}`;
    const sealed = await secrets.seal(id, body.secret);
    const createdAt = await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ created_at: Date }>(
        `INSERT INTO webhooks (id, url, secret_ciphertext, secret_key_id, created_by) VALUES ($1, $2, $3, $4, $5)
         RETURNING created_at`,
        [id, body.url, sealed.ciphertext, sealed.keyId, actor.agencyId],
      );
      await auditChange(client, req, actor, {
        entryKey: `webhook/${id}/registered`,
        action: 'webhook.register',
        target: id,
        // The URL only: a hash over the secret would let a reader of the trail test guesses of it.
        body: { url: body.url },
        at: rows[0]!.created_at,
        details: { webhookId: id },
      });
      return rows[0]!.created_at;
    });
    res.status(201).json({ id, url: body.url, createdAt: time(createdAt), createdBy: actor.agencyId });
  });

  router.get('/', permit('webhook.list'), async (_req, res) => {
    const { rows } = await pool.query<{
      id: string;
      url: string;
      created_at: Date;
      created_by: string;
      disabled_at: Date | null;
      pending: number;
      delivered: number;
      failed: number;
    }>(
      `SELECT w.id, w.url, w.created_at, w.created_by, w.disabled_at,
         count(d.alert_id) FILTER (WHERE d.status = 'pending')::int AS pending,
         count(d.alert_id) FILTER (WHERE d.status = 'delivered')::int AS delivered,
         count(d.alert_id) FILTER (WHERE d.status = 'failed')::int AS failed
       FROM webhooks w LEFT JOIN alert_deliveries d ON d.webhook_id = w.id
       GROUP BY w.id ORDER BY w.created_at, w.id`,
    );
    res.json({
      items: rows.map((row) => ({
        id: row.id,
        url: withoutCredentials(row.url),
        createdAt: time(row.created_at),
        createdBy: row.created_by,
        disabledAt: time(row.disabled_at),
        deliveries: { pending: row.pending, delivered: row.delivered, failed: row.failed },
      })),
    });
  });

  router.delete('/:id', permit('webhook.disable'), async (req, res) => {
    const actor = actorOf(res);
    const id = await existingWebhookId(pool, req);
    await inTransaction(pool, async (client) => {
      // Disabling twice keeps (and audits) the first.
      const disabled = await client.query<{ disabled_at: Date }>(
        'UPDATE webhooks SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL RETURNING disabled_at',
        [id],
      );
      if (!disabled.rows[0]) return;
      // Deliveries still due stop here: the delivery activity sends nothing for a row no longer pending.
      await client.query(
        `UPDATE alert_deliveries SET status = 'failed', last_error = 'webhook disabled' WHERE webhook_id = $1 AND status = 'pending'`,
        [id],
      );
      await auditChange(client, req, actor, {
        entryKey: `webhook/${id}/disabled`,
        action: 'webhook.disable',
        target: id,
        body: {},
        at: disabled.rows[0].disabled_at,
        details: { webhookId: id },
      });
    });
    res.status(204).end();
  });

  router.get('/:id/deliveries', permit('webhook.deliveries'), async (req, res) => {
    const id = await existingWebhookId(pool, req);
    const query = parseOr400(DeliveryListQuery, req.query, 'query');
    const after = cursorKey('deliveries', query.cursor, z.string().regex(/^\d{1,18}$/));
    const { rows } = await pool.query<{
      alertId: string;
      caseNumber: string;
      status: string;
      attempts: number;
      lastStatusCode: number | null;
      lastError: string | null;
      last_attempt_at: Date | null;
      delivered_at: Date | null;
    }>(
      `SELECT d.alert_id::text AS "alertId", a.case_number AS "caseNumber", d.status, d.attempts, d.last_status_code AS "lastStatusCode",
         d.last_error AS "lastError", d.last_attempt_at, d.delivered_at
       FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
       WHERE d.webhook_id = $1 AND ($2::bigint IS NULL OR d.alert_id < $2) ORDER BY d.alert_id DESC LIMIT $3`,
      [id, after ?? null, query.limit + 1],
    );
    const { items, next } = page(req, res, 'deliveries', rows, query.limit, (row) => row.alertId);
    res.json({
      items: items.map(({ last_attempt_at, delivered_at, ...delivery }) => ({
        ...delivery,
        lastAttemptAt: time(last_attempt_at),
        deliveredAt: time(delivered_at),
      })),
      next,
    });
  });

  return router;
}
