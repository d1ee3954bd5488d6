/**
 * The audit trail: append-only and hash-chained. Each row's hash covers the previous row's hash
 * and every field of the row, so editing, deleting or reordering a row breaks the chain.
 * Appends are serialized (one advisory lock): the chain has exactly one order.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { canonical } from '../api/request-hash.js';
import { inTransaction, type Pool } from '../db/pool.js';

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
}

export interface AuditRow extends Required<AuditEntry> {
  seq: number;
  prevHash: string;
  rowHash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
const APPEND_LOCK = 0x50504b53; // "PPKS": one chain, one writer at a time

type ChainedRow = Omit<AuditRow, 'prevHash' | 'rowHash'>;

/** The row's fields up to its time, in column order: hashed and stored alike. */
const leadingFields = (row: ChainedRow) => [
  row.seq,
  row.entryKey,
  row.caseNumber,
  row.action,
  row.agencyId,
  row.role,
  row.requestId,
  row.requestHash,
];

export function rowHash(prevHash: string, row: ChainedRow): string {
  const fields = [...leadingFields(row), new Date(row.at).toISOString(), canonical(row.details)];
  return createHash('sha256')
    .update(`${prevHash}\n${JSON.stringify(fields)}`)
    .digest('hex');
}

/** Appends an entry once; returns its sequence number (the first one's, for a repeated key). */
export async function appendAudit(target: Pool | pg.PoolClient, entry: AuditEntry): Promise<number> {
  const append = async (client: pg.PoolClient) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
    const existing = await client.query<{ seq: string }>('SELECT seq FROM audit_log WHERE entry_key = $1', [entry.entryKey]);
    if (existing.rows[0]) return Number(existing.rows[0].seq);
    const last = await client.query<{ seq: string; row_hash: string }>('SELECT seq, row_hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const seq = Number(last.rows[0]?.seq ?? 0) + 1;
    const prevHash = last.rows[0]?.row_hash ?? GENESIS_HASH;
    const row = { ...entry, caseNumber: entry.caseNumber, requestId: entry.requestId, details: entry.details ?? {}, seq };
    await client.query(
      `INSERT INTO audit_log (seq, entry_key, case_number, action, agency_id, role, request_id, request_hash, at, details, prev_hash, row_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [...leadingFields(row), row.at, JSON.stringify(row.details), prevHash, rowHash(prevHash, row)],
    );
    return seq;
  };
  // Inside a caller's transaction the entry commits or rolls back with the change it records.
  return 'release' in target ? append(target) : inTransaction(target, append);
}

export const AUDIT_COLUMNS = `seq::int, entry_key AS "entryKey", case_number AS "caseNumber", action, agency_id AS "agencyId",
  role, request_id AS "requestId", request_hash AS "requestHash", at, details, prev_hash AS "prevHash", row_hash AS "rowHash"`;
