/**
 * The read-access log: every response carrying a case's personal data is recorded (who, which
 * case, when, through which endpoint) before it is sent, so no disclosure goes unrecorded.
 */
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/case.js';
import { ACCESS_MATRIX, type Action } from './access.js';

export async function recordRead(pool: Pool, actor: Actor, caseNumber: string, action: Action, requestId: string): Promise<void> {
  await pool.query('INSERT INTO access_log (case_number, agency_id, role, endpoint, request_id) VALUES ($1, $2, $3, $4, $5)', [
    caseNumber,
    actor.agencyId,
    actor.role,
    ACCESS_MATRIX[action].endpoint,
    requestId,
  ]);
}

export const ACCESS_LOG_COLUMNS = `id::text, case_number AS "caseNumber", agency_id AS "agencyId", role, endpoint,
  request_id AS "requestId", at`;
