/**
 * Signed heads: now and then (the worker's Schedule, workflows/audit-export.ts) each log's last
 * seq and hash are signed with the audit signing key and appended, one JSON line each, to files
 * outside the database. A chain rewritten by whoever owns the tables (trigger disabled, rows
 * changed, every hash recomputed) still verifies on its own, but no longer holds the hash a
 * signed head names for its seq; and that owner cannot sign a new head.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LogName } from './chain.js';
import { keyIdOf } from './signing-key.js';

/** What is signed: a log's head at a time. */
export interface Head {
  log: LogName;
  seq: number;
  hash: string;
  /** When it was the head (read), ISO 8601. */
  at: string;
}

export interface SignedHead extends Head {
  /** keyIdOf the signing key. */
  key: string;
  /** Ed25519 over `signedBytes(head)`, base64. */
  signature: string;
}

/** Where the lines are found: file name and line number, for a problem to name. */
export interface ExportedLine {
  file: string;
  line: number;
  head: SignedHead | null;
}

/** The file the worker appends to; verification reads every `*.jsonl` of the folder (several workers' exports gathered). */
export const EXPORT_FILE = 'signed-heads.jsonl';

const LOGS: readonly string[] = ['audit_log', 'access_log'] satisfies LogName[];

const signedBytes = (head: Head) => Buffer.from(JSON.stringify({ log: head.log, seq: head.seq, hash: head.hash, at: head.at }));

export function signHead(privateKey: KeyObject, head: Head): SignedHead {
  const { log, seq, hash, at } = head;
  return { log, seq, hash, at, key: keyIdOf(privateKey), signature: sign(null, signedBytes(head), privateKey).toString('base64') };
}

/** Whether the line was signed by one of `publicKeys` (by key ID) and is unchanged since. */
export function signatureHolds(head: SignedHead, publicKeys: ReadonlyMap<string, KeyObject>): boolean {
  const key = publicKeys.get(head.key);
  return key !== undefined && verify(null, signedBytes(head), key, Buffer.from(head.signature, 'base64'));
}

/** Appends the heads to `<dir>/signed-heads.jsonl` in one write, flushed to disk before it returns. */
export async function appendSignedHeads(dir: string, heads: readonly SignedHead[]): Promise<void> {
  if (heads.length === 0) return;
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const file = await open(path.join(dir, EXPORT_FILE), 'a', 0o640);
  try {
    await file.appendFile(heads.map((head) => `${JSON.stringify(head)}\n`).join(''));
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Every line of every `*.jsonl` file in `dir` (none when it does not exist), with `head` null for a line that is not a signed head. */
export async function readSignedHeads(dir: string): Promise<ExportedLine[]> {
  const files = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const lines: ExportedLine[] = [];
  for (const file of files.filter((name) => name.endsWith('.jsonl')).sort()) {
    const text = await readFile(path.join(dir, file), 'utf8');
    text.split('\n').forEach((content, index) => {
      if (content.trim() !== '') lines.push({ file, line: index + 1, head: parseHead(content) });
    });
  }
  return lines;
}

function parseHead(content: string): SignedHead | null {
  try {
    const head = JSON.parse(content) as Partial<SignedHead>;
    const wellFormed =
      LOGS.includes(head.log as string) &&
      Number.isSafeInteger(head.seq) &&
      (head.seq as number) > 0 &&
      typeof head.hash === 'string' &&
      /^[0-9a-f]{64}$/.test(head.hash) &&
      typeof head.at === 'string' &&
      typeof head.key === 'string' &&
      typeof head.signature === 'string';
    return wellFormed ? (head as SignedHead) : null;
  } catch {
    return null;
  }
}

/** Names a line in a problem: "the head signed at <at> (signed-heads.jsonl line 3)". */
export const describeLine = (line: ExportedLine): string =>
  line.head ? `the head signed at ${line.head.at} (${line.file} line ${line.line})` : `${line.file} line ${line.line}`;
