/** Alerts for staff: SLA breaches per escalation level, and cases that find no free bed. */
import type { Pool } from '../../db/pool.js';
import { logger } from '../../logger.js';

export interface AlertRequest {
  /** Unique per SLA clock and level: the same alert is never stored twice. */
  alertKey: string;
  kind: 'sla_breach' | 'no_bed';
  caseNumber: string;
  stage: string;
  step: string;
  level: number;
  recipientRole: string;
  regionCode: string | null;
  uptCode: string | null;
  dueAt: string | null;
}

export function alertActivities(pool: Pool) {
  return {
    async raiseAlert(alert: AlertRequest): Promise<{ alertId: string }> {
      const inserted = await pool.query<{ id: string }>(
        `INSERT INTO alerts (alert_key, kind, case_number, stage, step, level, recipient_role, region_code, upt_code, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (alert_key) DO NOTHING RETURNING id`,
        [alert.alertKey, alert.kind, alert.caseNumber, alert.stage, alert.step, alert.level, alert.recipientRole,
          alert.regionCode, alert.uptCode, alert.dueAt],
      );
      if (inserted.rows[0]) {
        logger.warn({ caseNumber: alert.caseNumber, kind: alert.kind, step: alert.step, level: alert.level, recipientRole: alert.recipientRole }, 'alert raised');
        return { alertId: inserted.rows[0].id };
      }
      const existing = await pool.query<{ id: string }>('SELECT id FROM alerts WHERE alert_key = $1', [alert.alertKey]);
      return { alertId: existing.rows[0]!.id };
    },
  };
}
