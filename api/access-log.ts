/**
 * The read-access log: every response carrying a case's personal data is recorded (who, which
 * case, when, through which endpoint) before it is sent, so no disclosure goes unrecorded. The
 * log is append-only and hash-chained like the audit trail (audit/access-log.ts).
 */
import { appendAccess } from '../audit/access-log.js';
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/case.js';
import { ACCESS_MATRIX, type Action } from './access.js';

export async function recordRead(
  pool: Pool,
  actor: Actor,
  caseNumber: string,
  action: Action,
  requestId: string,
  userId: string | null,
): Promise<void> {
  await appendAccess(pool, {
    caseNumber,
    agencyId: actor.agencyId,
    role: actor.role,
    userId,
    endpoint: ACCESS_MATRIX[action].endpoint,
    requestId,
    at: new Date().toISOString(),
  });
}

export const ACCESS_LOG_COLUMNS = `id::text, case_number AS "caseNumber", agency_id AS "agencyId", role, user_id AS "userId",
  endpoint, request_id AS "requestId", at`;
