/** The case index: a projection of every case without personal data, for lists and dashboards. */
import type { Pool } from '../../db/pool.js';
import type { CaseView } from '../../domain/case-view.js';

export function caseIndexActivities(pool: Pool) {
  return {
    /**
     * `view` comes without personal data (the workflow strips it before scheduling).
     * Later revisions win, so a retried older write never overwrites a newer one.
     */
    async recordCaseView(view: CaseView, revision: number): Promise<void> {
      await pool.query(
        `INSERT INTO cases (case_number, revision, status, stage, ppks_type, found_region, home_region, upt_code,
           owner_role, sla_due_at, sla_breached, escalation_level, opened_at, updated_at, view)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now(), $14)
         ON CONFLICT (case_number) DO UPDATE SET revision = EXCLUDED.revision, status = EXCLUDED.status,
           stage = EXCLUDED.stage, home_region = EXCLUDED.home_region, upt_code = EXCLUDED.upt_code,
           owner_role = EXCLUDED.owner_role, sla_due_at = EXCLUDED.sla_due_at, sla_breached = EXCLUDED.sla_breached,
           escalation_level = EXCLUDED.escalation_level, updated_at = now(), view = EXCLUDED.view
         WHERE cases.revision < EXCLUDED.revision`,
        [
          view.caseNumber,
          revision,
          view.status,
          view.stage,
          view.ppksType,
          view.foundRegion,
          view.homeRegion,
          view.upt,
          view.ownerRole,
          view.sla?.dueAt ?? null,
          view.sla?.breached ?? false,
          view.escalationLevel,
          view.openedAt,
          JSON.stringify(view),
        ],
      );
    },
  };
}
