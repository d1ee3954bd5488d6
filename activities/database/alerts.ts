/**
 * Alerts for staff: SLA breaches per escalation level, reminders before the due time, and cases
 * that find no free bed.
 */
import { inTransaction, type Pool } from '../../db/pool.js';
import { logger } from '../../logger.js';
import { countAlertRaised } from '../../observability/worker-metrics.js';
import type { StartAlertDelivery } from '../temporal/alert-delivery.js';

/** What an alert is about and whom it is for: stored with it, and sent to webhooks (activities/webhooks/delivery.ts). */
export interface AlertRouting {
  caseNumber: string;
  stage: string;
  step: string;
  level: number;
  recipientRole: string;
  regionCode: string | null;
  uptCode: string | null;
}

export interface AlertRequest extends AlertRouting {
  /** Unique per SLA clock and level: the same alert is never stored twice. */
  alertKey: string;
  kind: 'sla_breach' | 'sla_reminder' | 'no_bed';
  dueAt: string | null;
}

export function alertActivities(pool: Pool, startDelivery: StartAlertDelivery) {
  const activities = {
    async raiseAlert(alert: AlertRequest): Promise<{ alertId: string }> {
      // The alert and its deliveries (one per active webhook) are stored together.
      const raised = await inTransaction(pool, async (client) => {
        const inserted = await client.query<{ id: string }>(
          `INSERT INTO alerts (alert_key, kind, case_number, stage, step, level, recipient_role, region_code, upt_code, due_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (alert_key) DO NOTHING RETURNING id::text`,
          [
            alert.alertKey,
            alert.kind,
            alert.caseNumber,
            alert.stage,
            alert.step,
            alert.level,
            alert.recipientRole,
            alert.regionCode,
            alert.uptCode,
            alert.dueAt,
          ],
        );
        const id = inserted.rows[0]?.id;
        if (id)
          await client.query('INSERT INTO alert_deliveries (alert_id, webhook_id) SELECT $1, id FROM webhooks WHERE disabled_at IS NULL', [
            id,
          ]);
        return id;
      });
      if (raised) {
        countAlertRaised(alert);
        logger.warn(
          { caseNumber: alert.caseNumber, kind: alert.kind, step: alert.step, level: alert.level, recipientRole: alert.recipientRole },
          'alert raised',
        );
      }
      const alertId =
        raised ?? (await pool.query<{ id: string }>('SELECT id::text FROM alerts WHERE alert_key = $1', [alert.alertKey])).rows[0]!.id;
      // Also for an alert stored before: a retry after the commit must still start its delivery
      // (an already running one is left alone; finished ones have nothing pending).
      const pending = await pool.query('SELECT 1 FROM alert_deliveries WHERE alert_id = $1 AND status = $2 LIMIT 1', [alertId, 'pending']);
      if (pending.rowCount) await startDelivery(alertId);
      return { alertId };
    },

    /**
     * A reminder, unless the recipient has acknowledged an alert of this SLA clock already:
     * acknowledging stops the reminders (the escalation ladder goes on regardless).
     */
    async remindOwner(reminder: AlertRequest & { clockKey: string }): Promise<{ alertId: string } | { skipped: true }> {
      const { clockKey, ...alert } = reminder;
      const acknowledged = await pool.query(
        `SELECT 1 FROM alerts WHERE starts_with(alert_key, $1) AND recipient_role = $2 AND acknowledged_at IS NOT NULL AND alert_key <> $3 LIMIT 1`,
        [clockKey, alert.recipientRole, alert.alertKey],
      );
      return acknowledged.rowCount ? { skipped: true } : activities.raiseAlert(alert);
    },
  };
  return activities;
}
