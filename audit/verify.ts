/**
 * Walks the audit chain in order and reports the first row that does not hold: a gap in the
 * sequence (a deleted row), a broken link (a reordered or deleted row) or a hash that does not
 * match the row (an edited row). A checkpoint noted earlier also catches a truncated tail.
 */
import type pg from 'pg';
import { AUDIT_COLUMNS, type AuditRow, GENESIS_HASH, rowHash } from './trail.js';

export interface Checkpoint {
  seq: number;
  rowHash: string;
}

export type Verification =
  { intact: true; entries: number; head: Checkpoint | null } | { intact: false; entries: number; seq: number; problem: string };

const BATCH = 1000;

export async function verifyAuditTrail(db: pg.Pool | pg.PoolClient, checkpoint?: Checkpoint): Promise<Verification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let checkpointSeen = false;
  for (;;) {
    const { rows } = await db.query<AuditRow & { at: Date }>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT ${BATCH}`,
      [expectedSeq],
    );
    for (const row of rows) {
      const broken = (problem: string): Verification => ({ intact: false, entries, seq: row.seq, problem });
      if (row.seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing`);
      if (row.prevHash !== prevHash) return broken('does not link to the entry before it (deleted or reordered)');
      if (rowHash(prevHash, { ...row, at: row.at.toISOString() }) !== row.rowHash)
        return broken('its content does not match its hash (edited)');
      if (checkpoint && row.seq === checkpoint.seq) {
        if (row.rowHash !== checkpoint.rowHash) return broken('differs from the checkpoint');
        checkpointSeen = true;
      }
      prevHash = row.rowHash;
      expectedSeq++;
      entries++;
    }
    if (rows.length < BATCH) break;
  }
  if (checkpoint && !checkpointSeen) {
    return { intact: false, entries, seq: checkpoint.seq, problem: 'the checkpoint entry is gone (the tail was truncated)' };
  }
  return { intact: true, entries, head: entries ? { seq: expectedSeq - 1, rowHash: prevHash } : null };
}
