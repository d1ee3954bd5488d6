/**
 * Verification of both logs (`npm run audit -- verify`): each chain walked in order (audit/chain.ts)
 * and every signed head exported outside the database checked against the rows as they are now:
 * its signature holds, and the row at its seq still has its hash. A checkpoint noted by hand is
 * one more expected hash of the audit trail.
 */
import type { KeyObject } from 'node:crypto';
import type pg from 'pg';
import { ACCESS_LOG } from './access-log.js';
import { type ChainedLog, type Checkpoint, type Expected, type LogName, type Verification, verifyChain } from './chain.js';
import { describeLine, readSignedHeads, type SignedHead, signatureHolds } from './signed-heads.js';
import { AUDIT_LOG } from './trail.js';

export type { Checkpoint, Verification } from './chain.js';

/** Both chained logs, in the order they are verified and exported. */
export const LOGS: readonly ChainedLog<unknown>[] = [AUDIT_LOG, ACCESS_LOG];

export function verifyAuditTrail(db: pg.Pool | pg.PoolClient, checkpoint?: Checkpoint): Promise<Verification> {
  return verifyChain(db, AUDIT_LOG, { expected: checkpoint ? [{ ...checkpoint, what: 'the checkpoint' }] : [] });
}

export interface LogsVerification {
  intact: boolean;
  logs: { log: ChainedLog<unknown>; result: Verification }[];
  /** Lines of the export checked against the rows (their signature held). */
  signedHeadsChecked: number;
  /** Each log's highest signed head. */
  latestSigned: SignedHead[];
  /** Lines that are not a signed head, are signed by an unknown key or whose signature does not hold. */
  lineProblems: string[];
}

export interface LogsVerificationOptions {
  /** A head of the audit trail noted earlier (`<seq>:<hash>`). */
  checkpoint?: Checkpoint;
  /** Folder of the exported signed heads (every `*.jsonl` in it). */
  exportDir: string;
  /** Public keys by key ID (keyIdOf) that heads may be signed with. */
  publicKeys: ReadonlyMap<string, KeyObject>;
}

export async function verifyLogs(db: pg.Pool | pg.PoolClient, options: LogsVerificationOptions): Promise<LogsVerification> {
  const expected: Record<LogName, Expected[]> = { audit_log: [], access_log: [] };
  if (options.checkpoint) expected.audit_log.push({ ...options.checkpoint, what: 'the checkpoint' });
  const latest = new Map<LogName, SignedHead>();
  const lineProblems: string[] = [];
  let signedHeadsChecked = 0;
  for (const line of await readSignedHeads(options.exportDir)) {
    const head = line.head;
    if (!head) lineProblems.push(`${describeLine(line)} is not a signed head`);
    else if (!options.publicKeys.has(head.key)) {
      lineProblems.push(`${describeLine(line)} is signed by key ${head.key}, which is not one to check against (--public-key)`);
    } else if (!signatureHolds(head, options.publicKeys)) {
      lineProblems.push(`${describeLine(line)}: its signature does not hold (the line was changed after it was signed)`);
    } else {
      signedHeadsChecked++;
      expected[head.log].push({ seq: head.seq, rowHash: head.hash, what: describeLine(line) });
      if (head.seq >= (latest.get(head.log)?.seq ?? 0)) latest.set(head.log, head);
    }
  }
  const logs = [];
  for (const log of LOGS) logs.push({ log, result: await verifyChain(db, log, { expected: expected[log.table] }) });
  return {
    intact: lineProblems.length === 0 && logs.every(({ result }) => result.intact),
    logs,
    signedHeadsChecked,
    latestSigned: [...latest.values()],
    lineProblems,
  };
}
