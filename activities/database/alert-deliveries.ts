/** The bookkeeping of alert deliveries to webhooks: which are still due, and which gave up. */
import type { Pool } from '../../db/pool.js';
import { logger } from '../../logger.js';
import { countDeliveryFailed } from '../../observability/worker-metrics.js';

export interface DeliveryRef {
  alertId: string;
  webhookId: string;
}

export function alertDeliveryActivities(pool: Pool) {
  return {
    /** Webhooks this alert still has to reach (a restarted delivery skips those already done). */
    async pendingDeliveries({ alertId }: { alertId: string }): Promise<string[]> {
      const { rows } = await pool.query<{ webhook_id: string }>(
        `SELECT webhook_id FROM alert_deliveries WHERE alert_id = $1 AND status = 'pending' ORDER BY webhook_id`,
        [alertId],
      );
      return rows.map((row) => row.webhook_id);
    },

    /** Every retry was used up (or the webhook answered 410 Gone): the delivery stops. */
    async markDeliveryFailed({ alertId, webhookId }: DeliveryRef): Promise<void> {
      const { rowCount } = await pool.query(
        `UPDATE alert_deliveries SET status = 'failed' WHERE alert_id = $1 AND webhook_id = $2 AND status = 'pending'`,
        [alertId, webhookId],
      );
      if (!rowCount) return;
      countDeliveryFailed();
      logger.warn({ alertId, webhookId }, 'alert delivery to webhook failed');
    },
  };
}
