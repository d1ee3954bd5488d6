/**
 * The hash chain under both logs, the audit trail (`audit_log`) and the read-access log
 * (`access_log`): each row stores the previous row's hash and its own hash over every field, so
 * editing, deleting or reordering a row breaks the chain. Appends to a log are serialized (one
 * advisory lock per log): each chain has exactly one order. Whoever owns the tables can still
 * rewrite a chain from scratch; the heads signed outside the database (audit/signed-heads.ts)
 * catch that.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { inTransaction, type Pool } from '../db/pool.js';

export const GENESIS_HASH = '0'.repeat(64);

export type LogName = 'audit_log' | 'access_log';

/** How one log's rows are stored and hashed; `Entry` is a row without its place in the chain. */
export interface ChainedLog<Entry> {
  table: LogName;
  /** How `npm run audit -- verify` names it. */
  title: string;
  /** Key of the advisory lock that makes appends to this log one at a time. */
  lock: number;
  /** The columns between `seq` and `prev_hash, row_hash`, in the order `values` gives them. */
  columns: readonly string[];
  values(entry: Entry): unknown[];
  /** What the row's hash covers after `seq`, in order. */
  hashed(entry: Entry): unknown[];
  /** SELECT list of a row: the entry's fields as `fromRow` takes them, and `seq`, `prevHash`, `rowHash`. */
  select: string;
  fromRow(row: pg.QueryResultRow): Entry;
}

export interface Checkpoint {
  seq: number;
  rowHash: string;
}

/** The hash of a row whose fields (its seq first) follow the row whose hash is `prevHash`. */
export function linkHash(prevHash: string, fields: readonly unknown[]): string {
  return createHash('sha256')
    .update(`${prevHash}\n${JSON.stringify(fields)}`)
    .digest('hex');
}

/** Runs `work` holding the log's append lock: in the caller's transaction, or in one of its own. */
export function underAppendLock<Entry, T>(
  target: Pool | pg.PoolClient,
  log: ChainedLog<Entry>,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const locked = async (client: pg.PoolClient) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [log.lock]);
    return work(client);
  };
  // Inside a caller's transaction the entry commits or rolls back with the change it records.
  return 'release' in target ? locked(target) : inTransaction(target, locked);
}

/** Appends `entry` after the log's head and returns its seq; call it holding the append lock. */
export async function appendLinked<Entry>(client: pg.PoolClient, log: ChainedLog<Entry>, entry: Entry): Promise<number> {
  const head = await chainHead(client, log);
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.rowHash ?? GENESIS_HASH;
  const columns = ['seq', ...log.columns, 'prev_hash', 'row_hash'];
  await client.query(`INSERT INTO ${log.table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, [
    seq,
    ...log.values(entry),
    prevHash,
    linkHash(prevHash, [seq, ...log.hashed(entry)]),
  ]);
  return seq;
}

/** The last row's seq and hash; null while the log is empty. */
export async function chainHead<Entry>(db: Pool | pg.PoolClient, log: ChainedLog<Entry>): Promise<Checkpoint | null> {
  const { rows } = await db.query<{ seq: number; row_hash: string }>(
    `SELECT seq::int, row_hash FROM ${log.table} ORDER BY seq DESC LIMIT 1`,
  );
  return rows[0] ? { seq: rows[0].seq, rowHash: rows[0].row_hash } : null;
}

/** A hash some row must still have, kept outside the chain: a noted checkpoint, a signed head. */
export interface Expected extends Checkpoint {
  /** Names it in a problem: "the checkpoint", "the head signed at …". */
  what: string;
}

export type Verification =
  { intact: true; entries: number; head: Checkpoint | null } | { intact: false; entries: number; seq: number; problem: string };

export interface ChainWalk {
  /** Start here instead of at the first row, taking that row's link to its predecessor on trust. */
  fromSeq?: number;
  /** Rows that must hold these hashes; one whose row is gone means the tail was cut off. */
  expected?: readonly Expected[];
}

const BATCH = 1000;

/**
 * Walks the chain in order and reports the first row that does not hold: a gap in the sequence
 * (a deleted row), a broken link (a reordered or deleted row), a hash that does not match the
 * row (an edited row) or a row whose hash differs from one expected of it (a chain recomputed
 * after an edit, or a row cut off the end).
 */
export async function verifyChain<Entry>(db: Pool | pg.PoolClient, log: ChainedLog<Entry>, walk: ChainWalk = {}): Promise<Verification> {
  const expected = new Map<number, Expected[]>();
  for (const e of walk.expected ?? []) expected.set(e.seq, [...(expected.get(e.seq) ?? []), e]);
  const firstSeq = walk.fromSeq ?? 1;
  let expectedSeq = firstSeq;
  let prevHash: string | null = firstSeq === 1 ? GENESIS_HASH : null;
  let entries = 0;
  for (;;) {
    const { rows } = await db.query(`SELECT ${log.select} FROM ${log.table} WHERE seq >= $1 ORDER BY seq LIMIT ${BATCH}`, [expectedSeq]);
    for (const row of rows as (pg.QueryResultRow & { seq: number; prevHash: string; rowHash: string })[]) {
      const broken = (problem: string): Verification => ({ intact: false, entries, seq: row.seq, problem });
      if (row.seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing`);
      if (row.prevHash !== (prevHash ?? row.prevHash)) return broken('does not link to the entry before it (deleted or reordered)');
      if (linkHash(row.prevHash, [row.seq, ...log.hashed(log.fromRow(row))]) !== row.rowHash) {
        return broken('its content does not match its hash (edited)');
      }
      const differing = expected.get(row.seq)?.find((e) => e.rowHash !== row.rowHash);
      if (differing) return broken(`differs from ${differing.what} (edited, and the chain recomputed after it)`);
      expected.delete(row.seq);
      prevHash = row.rowHash;
      expectedSeq++;
      entries++;
    }
    if (rows.length < BATCH) break;
  }
  const beyond = [...expected.values()]
    .flat()
    .filter((e) => e.seq >= firstSeq)
    .sort((a, b) => a.seq - b.seq)[0];
  if (beyond) {
    return { intact: false, entries, seq: beyond.seq, problem: `is gone, but ${beyond.what} names it (the tail was truncated)` };
  }
  return { intact: true, entries, head: entries ? { seq: expectedSeq - 1, rowHash: prevHash! } : null };
}
