/** The workflow records every accepted agency step in the audit trail, keyed on its Update ID. */
import type { Pool } from '../../db/pool.js';
import { appendAudit, type AuditEntry } from '../../audit/trail.js';

export function auditTrailActivities(pool: Pool) {
  return {
    async recordAuditEntry(entry: AuditEntry): Promise<number> {
      return appendAudit(pool, entry);
    },
  };
}
