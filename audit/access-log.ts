/**
 * The read-access log as a hash chain, like the audit trail (audit/chain.ts): who read which
 * case's personal data, when and through which endpoint. `id` is the API's handle on a row
 * (GET /v1/cases/{n}/access-log lists by it), so it is hashed too.
 */
import type { Pool } from '../db/pool.js';
import { appendLinked, type ChainedLog, underAppendLock } from './chain.js';

export interface AccessEntry {
  caseNumber: string;
  agencyId: string;
  role: string;
  /** The access matrix's endpoint, e.g. `GET /v1/cases/{caseNumber}`. */
  endpoint: string;
  requestId: string;
  /** When the personal data was disclosed, ISO 8601. */
  at: string;
  /** The person signed in who read it; null (or absent) for an API key. */
  userId?: string | null;
}

type StoredAccess = AccessEntry & { id: string };

const fields = (entry: StoredAccess) => [entry.id, entry.caseNumber, entry.agencyId, entry.role, entry.endpoint, entry.requestId];

export const ACCESS_LOG: ChainedLog<StoredAccess> = {
  table: 'access_log',
  title: 'access log',
  lock: 0x50504b41, // "PPKA"
  columns: ['id', 'case_number', 'agency_id', 'role', 'endpoint', 'request_id', 'at', 'user_id'],
  values: (entry) => [...fields(entry), entry.at, entry.userId ?? null],
  // The migration that chained the rows from before (db/migrations/1765584000000_access-log-chain.sql) hashes the same;
  // the person only when there is one, so those rows (and every row read with a key) hash as they always did.
  hashed: (entry) => [...fields(entry), new Date(entry.at).toISOString(), ...(entry.userId ? [entry.userId] : [])],
  select: `seq::int, id::text, case_number AS "caseNumber", agency_id AS "agencyId", role, endpoint, request_id AS "requestId", at,
    user_id AS "userId", prev_hash AS "prevHash", row_hash AS "rowHash"`,
  fromRow: (row) => ({ ...(row as StoredAccess), at: (row.at as Date).toISOString() }),
};

/** Appends one disclosure after the log's head; returns its seq. */
export function appendAccess(pool: Pool, entry: AccessEntry): Promise<number> {
  return underAppendLock(pool, ACCESS_LOG, async (client) => {
    const { rows } = await client.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('access_log', 'id'))::text AS id`);
    return appendLinked(client, ACCESS_LOG, { ...entry, id: rows[0]!.id });
  });
}
