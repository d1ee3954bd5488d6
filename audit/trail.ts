/**
 * The audit trail: append-only and hash-chained (audit/chain.ts). Each row's hash covers the
 * previous row's hash and every field of the row, so editing, deleting or reordering a row breaks
 * the chain. Appends are serialized (one advisory lock): the chain has exactly one order.
 */
import type pg from 'pg';
import { canonical } from '../api/request-hash.js';
import type { Pool } from '../db/pool.js';
import { appendLinked, type ChainedLog, underAppendLock } from './chain.js';

/** One accepted change. Never personal data: the request body is recorded only as a hash. */
export interface AuditEntry {
  /** Unique per change (the Update ID for case steps): appending the same key again is a no-op. */
  entryKey: string;
  caseNumber: string | null;
  action: string;
  agencyId: string;
  role: string;
  requestId: string | null;
  /** SHA-256 of the action, case and validated request body. */
  requestHash: string;
  /** When the change was accepted, ISO 8601. */
  at: string;
  details?: Record<string, string | number | boolean | null>;
  /** The person signed in who made the change; null (or absent) for an API key, an operator or the service. */
  userId?: string | null;
}

export const AUDIT_COLUMNS = `seq::int, entry_key AS "entryKey", case_number AS "caseNumber", action, agency_id AS "agencyId",
  role, user_id AS "userId", request_id AS "requestId", request_hash AS "requestHash", at, details, prev_hash AS "prevHash",
  row_hash AS "rowHash"`;

/** The row's fields after its seq, in column order: hashed and stored alike (time and details in their hashed form). */
const leadingFields = (entry: AuditEntry) => [
  entry.entryKey,
  entry.caseNumber,
  entry.action,
  entry.agencyId,
  entry.role,
  entry.requestId,
  entry.requestHash,
];

export const AUDIT_LOG: ChainedLog<AuditEntry> = {
  table: 'audit_log',
  title: 'audit trail',
  lock: 0x50504b53, // "PPKS": one chain, one writer at a time
  columns: ['entry_key', 'case_number', 'action', 'agency_id', 'role', 'request_id', 'request_hash', 'at', 'details', 'user_id'],
  values: (entry) => [...leadingFields(entry), entry.at, JSON.stringify(entry.details ?? {}), entry.userId ?? null],
  // The person only when there is one: entries without (all from before people signed in) hash as they always did.
  hashed: (entry) => [
    ...leadingFields(entry),
    new Date(entry.at).toISOString(),
    canonical(entry.details ?? {}),
    ...(entry.userId ? [entry.userId] : []),
  ],
  select: AUDIT_COLUMNS,
  fromRow: (row) => ({ ...(row as AuditEntry), at: (row.at as Date).toISOString() }),
};

/** Appends an entry once; returns its sequence number (the first one's, for a repeated key). */
export function appendAudit(target: Pool | pg.PoolClient, entry: AuditEntry): Promise<number> {
  return underAppendLock(target, AUDIT_LOG, async (client) => {
    const existing = await client.query<{ seq: string }>('SELECT seq FROM audit_log WHERE entry_key = $1', [entry.entryKey]);
    if (existing.rows[0]) return Number(existing.rows[0].seq);
    return appendLinked(client, AUDIT_LOG, entry);
  });
}
