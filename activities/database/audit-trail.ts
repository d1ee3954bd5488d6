/** The workflow records every accepted agency step in the audit trail, keyed on its Update ID. */
import { inTransaction, type Pool } from '../../db/pool.js';
import { appendAudit, type AuditEntry } from '../../audit/trail.js';
import { auditActionOf, type CaseUpdateName } from '../../domain/steps.js';

/** As the workflow sends it: the Update's name, which the trail records as its action. */
export type CaseAuditEntry = Omit<AuditEntry, 'action'> & { update: CaseUpdateName };

export function auditTrailActivities(pool: Pool) {
  return {
    // `action` instead of `update`: scheduled by a worker from before the step definitions (a task in flight at the rollout).
    async recordAuditEntry(entry: CaseAuditEntry | AuditEntry): Promise<number> {
      const audited: AuditEntry =
        'action' in entry ? entry : (({ update, ...rest }) => ({ ...rest, action: auditActionOf(update) }))(entry);
      // The person the API noted for a step posted with a session (api/step-people.ts), taken with the entry's write.
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ user_id: string }>('DELETE FROM step_people WHERE entry_key = $1 RETURNING user_id', [
          audited.entryKey,
        ]);
        return appendAudit(client, { ...audited, userId: rows[0]?.user_id ?? null });
      });
    },
  };
}
