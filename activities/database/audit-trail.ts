/** The workflow records every accepted agency step in the audit trail, keyed on its Update ID. */
import type { Pool } from '../../db/pool.js';
import { appendAudit, type AuditEntry } from '../../audit/trail.js';
import { auditActionOf, type CaseUpdateName } from '../../domain/steps.js';

/** As the workflow sends it: the Update's name, which the trail records as its action. */
export type CaseAuditEntry = Omit<AuditEntry, 'action'> & { update: CaseUpdateName };

export function auditTrailActivities(pool: Pool) {
  return {
    // `action` instead of `update`: scheduled by a worker from before the step definitions (a task in flight at the rollout).
    async recordAuditEntry(entry: CaseAuditEntry | AuditEntry): Promise<number> {
      if ('action' in entry) return appendAudit(pool, entry);
      const { update, ...rest } = entry;
      return appendAudit(pool, { ...rest, action: auditActionOf(update) });
    },
  };
}
