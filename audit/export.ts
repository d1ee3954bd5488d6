/**
 * Signs each log's head and appends it to the export (audit/signed-heads.ts), once the chain
 * since the last head this key signed still holds: a chain that no longer matches its last
 * signed head is reported, never signed again.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type pg from 'pg';
import { verifyChain, type LogName } from './chain.js';
import {
  appendSignedHeads,
  describeLine,
  type ExportedLine,
  readSignedHeads,
  type SignedHead,
  signatureHolds,
  signHead,
} from './signed-heads.js';
import { keyIdOf } from './signing-key.js';
import { LOGS } from './verify.js';

export interface HeadExport {
  /** The heads signed and appended by this run (none for an empty log). */
  signed: SignedHead[];
  /** Logs left unsigned because their chain is broken, each with the first broken entry. */
  problems: string[];
}

export async function exportSignedHeads(db: pg.Pool, privateKey: KeyObject, dir: string): Promise<HeadExport> {
  const keyId = keyIdOf(privateKey);
  const publicKeys = new Map([[keyId, createPublicKey(privateKey)]]);
  const lastSigned = new Map<LogName, ExportedLine & { head: SignedHead }>();
  for (const line of await readSignedHeads(dir)) {
    const head = line.head;
    if (!head || head.key !== keyId || !signatureHolds(head, publicKeys)) continue;
    if (head.seq >= (lastSigned.get(head.log)?.head.seq ?? 0)) lastSigned.set(head.log, { ...line, head });
  }
  const signed: SignedHead[] = [];
  const problems: string[] = [];
  for (const log of LOGS) {
    const since = lastSigned.get(log.table);
    // Only the rows since the last signed head: that head vouches for the ones before it.
    const result = await verifyChain(
      db,
      log,
      since ? { fromSeq: since.head.seq, expected: [{ seq: since.head.seq, rowHash: since.head.hash, what: describeLine(since) }] } : {},
    );
    if (!result.intact) {
      problems.push(`${log.title} broken at entry ${result.seq}: ${result.problem}`);
    } else if (result.head) {
      const { seq, rowHash } = result.head;
      signed.push(signHead(privateKey, { log: log.table, seq, hash: rowHash, at: new Date().toISOString() }));
    }
  }
  await appendSignedHeads(dir, signed);
  return { signed, problems };
}
