/**
 * One attempt to deliver an alert to one webhook: a JSON POST signed with the webhook's secret
 * (activities/webhooks/signature.ts). The workflow (workflows/alert-delivery.ts) retries it with
 * backoff; each attempt is recorded on the delivery row. Every attempt checks the destination
 * again (api/webhook-destinations.ts: DNS may have changed since registration) and connects only
 * to the addresses that check approved. Neither the secret, the URL nor the body ever goes into a
 * log or an error.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { checkDestination, DestinationRefused, destinationPolicy, type CheckedDestination } from '../../api/webhook-destinations.js';
import type { Pool } from '../../db/pool.js';
import { jakartaTime } from '../../domain/case.js';
import { loadPayloadKeyring } from '../../encryption/keys.js';
import { WebhookSecrets } from '../../encryption/webhook-secrets.js';
import { logger } from '../../logger.js';
import { countDeliveryAttempt } from '../../observability/worker-metrics.js';
import type { DeliveryRef } from '../database/alert-deliveries.js';
import type { AlertRouting } from '../database/alerts.js';
import { postPinned } from './send.js';
import { signatureHeaders } from './signature.js';

const TIMEOUT_MS = 10_000;
/** What the delivery row says of a destination the policy refuses: nothing about what answers there. */
const REFUSED = 'destination refused';

interface Target {
  status: string;
  disabled: boolean;
  url: string;
  secretCiphertext: Buffer;
  secretKeyId: string;
  alert: AlertRouting & { id: string; kind: string; dueAt: Date | null; createdAt: Date };
}

async function loadTarget(pool: Pool, { alertId, webhookId }: DeliveryRef): Promise<Target | undefined> {
  const { rows } = await pool.query<Target>(
    `SELECT d.status, w.disabled_at IS NOT NULL AS disabled, w.url,
       w.secret_ciphertext AS "secretCiphertext", w.secret_key_id AS "secretKeyId",
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
function deliveryBody(deliveryId: string, { alert }: Target): string {
  const time = (value: Date | string | null) => (value === null ? null : jakartaTime(new Date(value).getTime()));
  return JSON.stringify({
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
  });
}

/** A short reason for the delivery row: an error code, never a message that could quote the URL. */
function networkError(error: unknown, timedOut: boolean): string {
  if (timedOut) return `no answer within ${TIMEOUT_MS / 1000} s`;
  const e = error as { name?: string; code?: string; cause?: { code?: string } };
  return e?.code ?? e?.cause?.code ?? e?.name ?? 'network error';
}

interface Attempt {
  statusCode: number | null;
  /** null: delivered. */
  error: string | null;
  /** The destination is refused: not retried. */
  refused: boolean;
}

export function webhookDeliveryActivities(pool: Pool) {
  // Loaded at the worker's start, so that a malformed WEBHOOK_ALLOWED_DESTINATIONS or a missing key stops it.
  const policy = destinationPolicy();
  const secrets = new WebhookSecrets(loadPayloadKeyring());

  /** The secret, or undefined when no listed key opens it; one sealed under an older key is sealed again under the current one. */
  async function secretOf(webhookId: string, target: Target): Promise<string | undefined> {
    let secret: string;
    try {
      secret = await secrets.open(webhookId, target.secretCiphertext);
    } catch (failure) {
      // The message names the webhook and at most a key ID.
      logger.error({ webhookId, keyId: target.secretKeyId, err: (failure as Error).message }, 'webhook secret cannot be opened');
      return undefined;
    }
    if (target.secretKeyId !== secrets.currentKeyId) {
      const sealed = await secrets.seal(webhookId, secret);
      await pool.query('UPDATE webhooks SET secret_ciphertext = $2, secret_key_id = $3 WHERE id = $1 AND secret_key_id = $4', [
        webhookId,
        sealed.ciphertext,
        sealed.keyId,
        target.secretKeyId,
      ]);
    }
    return secret;
  }

  /** One attempt, as the delivery row records it. */
  async function attempt(ref: DeliveryRef, target: Target): Promise<Attempt> {
    let destination: CheckedDestination;
    try {
      destination = await checkDestination(target.url, policy);
    } catch (failure) {
      if (!(failure instanceof DestinationRefused)) throw failure;
      if (failure.reason === 'refused') return { statusCode: null, error: REFUSED, refused: true };
      return { statusCode: null, error: 'host not resolved', refused: false };
    }
    const secret = await secretOf(ref.webhookId, target);
    // Retried: the key may be listed again (by an operator who dropped it too early).
    if (secret === undefined) return { statusCode: null, error: 'secret unreadable', refused: false };

    const deliveryId = `${ref.alertId}/${ref.webhookId}`;
    const body = deliveryBody(deliveryId, target);
    const headers = {
      'Content-Type': 'application/json',
      'X-PPKS-Delivery': deliveryId,
      'X-PPKS-Event': 'alert.raised',
      ...signatureHeaders(secret, deliveryId, new Date(), body),
    };
    // Worker shutdown cancels the activity: a slow receiver must not hold the worker up.
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const signal = AbortSignal.any([timeout, Context.current().cancellationSignal]);
    try {
      const statusCode = await postPinned(destination.url, destination.addresses, headers, Buffer.from(body, 'utf8'), signal);
      return { statusCode, error: statusCode >= 200 && statusCode <= 299 ? null : `HTTP ${statusCode}`, refused: false };
    } catch (failure) {
      return { statusCode: null, error: networkError(failure, timeout.aborted), refused: false };
    }
  }

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

      const { statusCode, error, refused } = await attempt(ref, target);
      const delivered = error === null;
      countDeliveryAttempt(delivered ? 'delivered' : refused ? 'refused' : 'failed');
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
        type: refused ? 'WebhookDestinationRefused' : statusCode === 410 ? 'WebhookGone' : 'WebhookDeliveryFailed',
        // 410 Gone: the receiver says it is gone for good; a refused destination (an internal
        // address, http in production, credentials in the URL) stays refused: neither is retried.
        // Anything else may recover (a fixed receiver, a returning network, a name that resolves
        // again), so it is retried until the attempts run out.
        nonRetryable: refused || statusCode === 410,
        // An expected outcome, logged above: the worker logs it at debug level, not as a failure.
        category: ApplicationFailureCategory.BENIGN,
      });
    },
  };
}
