/**
 * One attempt to deliver an alert to one webhook: a JSON POST signed with the webhook's secret.
 * The workflow (workflows/alert-delivery.ts) retries it with backoff; each attempt is recorded on
 * the delivery row. Neither the secret, the URL nor the body ever goes into a log or an error.
 */
import { createHmac } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { Pool } from '../../db/pool.js';
import { jakartaTime } from '../../domain/case.js';
import { logger } from '../../logger.js';
import type { DeliveryRef } from '../database/alert-deliveries.js';
import type { AlertRouting } from '../database/alerts.js';

const TIMEOUT_MS = 10_000;

interface Target {
  status: string;
  disabled: boolean;
  url: string;
  secret: string;
  alert: AlertRouting & { id: string; kind: string; dueAt: Date | null; createdAt: Date };
}

async function loadTarget(pool: Pool, { alertId, webhookId }: DeliveryRef): Promise<Target | undefined> {
  const { rows } = await pool.query<Target>(
    `SELECT d.status, w.disabled_at IS NOT NULL AS disabled, w.url, w.secret,
       json_build_object('id', a.id::text, 'kind', a.kind, 'caseNumber', a.case_number, 'stage', a.stage, 'step', a.step,
         'level', a.level, 'recipientRole', a.recipient_role, 'regionCode', a.region_code, 'uptCode', a.upt_code,
         'dueAt', a.due_at, 'createdAt', a.created_at) AS alert
     FROM alert_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN alerts a ON a.id = d.alert_id
     WHERE d.alert_id = $1 AND d.webhook_id = $2`,
    [alertId, webhookId],
  );
  return rows[0];
}

/** What the receiver gets: the alert's routing facts only, no personal data. */
function deliveryBody(deliveryId: string, { alert }: Target): Uint8Array<ArrayBuffer> {
  const time = (value: Date | string | null) => (value === null ? null : jakartaTime(new Date(value).getTime()));
  // Encoded once: the signature covers exactly the bytes sent.
  return new TextEncoder().encode(
    JSON.stringify({
      event: 'alert.raised',
      deliveryId,
      alert: {
        id: alert.id,
        kind: alert.kind,
        caseNumber: alert.caseNumber,
        stage: alert.stage,
        step: alert.step,
        level: alert.level,
        recipientRole: alert.recipientRole,
        regionCode: alert.regionCode,
        uptCode: alert.uptCode,
        dueAt: time(alert.dueAt),
        createdAt: time(alert.createdAt),
      },
    }),
  );
}

/** A short reason for the delivery row: an error code, never a message that could quote the URL. */
function networkError(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return e?.cause?.code ?? e?.name ?? 'network error';
}

export function webhookDeliveryActivities(pool: Pool) {
  return {
    async deliverToWebhook(ref: DeliveryRef): Promise<void> {
      const target = await loadTarget(pool, ref);
      // Delivered already (a retry after a success) or stopped: never sent again.
      if (target?.status !== 'pending') return;
      if (target.disabled) {
        // Disabled while this alert was being raised: the disable could not see the row yet.
        await pool.query(
          `UPDATE alert_deliveries SET status = 'failed', last_error = 'webhook disabled'
           WHERE alert_id = $1 AND webhook_id = $2 AND status = 'pending'`,
          [ref.alertId, ref.webhookId],
        );
        return;
      }

      const deliveryId = `${ref.alertId}/${ref.webhookId}`;
      const body = deliveryBody(deliveryId, target);
      // Worker shutdown cancels the activity: a slow receiver must not hold the worker up.
      const signal = AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), Context.current().cancellationSignal]);
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const response = await fetch(target.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-PPKS-Signature': `sha256=${createHmac('sha256', target.secret).update(body).digest('hex')}`,
            'X-PPKS-Delivery': deliveryId,
            'X-PPKS-Event': 'alert.raised',
          },
          body,
          // A redirect would re-send the signed body somewhere nobody registered: it counts as a failure.
          redirect: 'manual',
          signal,
        });
        statusCode = response.status;
        await response.body?.cancel();
        if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
      } catch (failure) {
        error = networkError(failure);
      }

      const delivered = error === null;
      await pool.query(
        `UPDATE alert_deliveries SET attempts = attempts + 1, last_status_code = $3, last_error = $4, last_attempt_at = now(),
           status = CASE WHEN $5 THEN 'delivered' ELSE status END, delivered_at = CASE WHEN $5 THEN now() ELSE delivered_at END
         WHERE alert_id = $1 AND webhook_id = $2`,
        [ref.alertId, ref.webhookId, statusCode, error, delivered],
      );
      if (delivered) {
        logger.info({ alertId: ref.alertId, webhookId: ref.webhookId, statusCode }, 'alert delivered to webhook');
        return;
      }
      logger.warn({ alertId: ref.alertId, webhookId: ref.webhookId, statusCode, error }, 'alert delivery attempt failed');
      throw ApplicationFailure.create({
        message: `webhook ${ref.webhookId} did not take alert ${ref.alertId}: ${error}`,
        type: statusCode === 410 ? 'WebhookGone' : 'WebhookDeliveryFailed',
        // 410 Gone: the receiver says it is gone for good. Anything else may recover (a fixed
        // receiver, a returning network), so it is retried until the attempts run out.
        nonRetryable: statusCode === 410,
        // An expected outcome, logged above: the worker logs it at debug level, not as a failure.
        category: ApplicationFailureCategory.BENIGN,
      });
    },
  };
}
