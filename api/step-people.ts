/**
 * The person behind a case step or intake posted with a session (issue 15). The Update stays what
 * an API key sends (the agency as actor), so the workflow and its histories are unchanged; the API
 * notes the person under the key of the audit entry the step will write, and the audit activity
 * (activities/database/audit-trail.ts) takes the note when it writes that entry.
 */
import type { Pool } from '../db/pool.js';

/** The key the workflow gives a step's audit entry (workflows/audit.ts): `<workflow ID>/<Update ID>`. */
const auditEntryKey = (workflowId: string, updateId: string) => `${workflowId}/${updateId}`;

/** Notes the person before the Update is sent, or nothing for an API key. */
export type NotePerson = (workflowId: string, updateId: string) => Promise<void>;

export function notePerson(pool: Pool, userId: string | null): NotePerson | undefined {
  if (userId === null) return undefined;
  return async (workflowId, updateId) => {
    // A retried request notes again: the first note stands (the Update, too, is the first one).
    await pool.query('INSERT INTO step_people (entry_key, user_id) VALUES ($1, $2) ON CONFLICT (entry_key) DO NOTHING', [
      auditEntryKey(workflowId, updateId),
      userId,
    ]);
  };
}
