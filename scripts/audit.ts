/**
 * Operator commands for the audit trail and the access log:
 *   npm run audit -- verify [--checkpoint <seq>:<row hash>] [--export-dir <dir>] [--public-key <file.pem>]…
 *   npm run audit -- public-key
 * `verify` walks both hash chains and checks every signed head exported to AUDIT_EXPORT_DIR (or
 * --export-dir) against the rows: exit code 0 when all hold, 1 naming the first entry that was
 * edited, deleted, reordered, cut off or rewritten with its chain. It only reads: the runtime
 * role (DATABASE_URL) will do. Heads are checked with the public key of PPKS_AUDIT_SIGNING_KEY
 * (or the dev key), or with the keys given by --public-key (an auditor's own copy).
 * `public-key` prints the public key of the signing key, PEM, to keep where the auditor can.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { existingAuditSigningKey, keyIdOf, loadAuditSigningKey, parsePublicKey, publicKeyPem } from '../audit/signing-key.js';
import { type Checkpoint, verifyLogs } from '../audit/verify.js';
import { config } from '../config.js';
import { createPool } from '../db/pool.js';

const usage =
  'usage: npm run audit -- verify [--checkpoint <seq>:<row hash>] [--export-dir <dir>] [--public-key <file.pem>]...\n' +
  '       npm run audit -- public-key';
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    checkpoint: { type: 'string' },
    'export-dir': { type: 'string' },
    'public-key': { type: 'string', multiple: true },
  },
});
const checkpoint = values.checkpoint ? parseCheckpoint(values.checkpoint) : undefined;
const command = positionals[0];
if (positionals.length !== 1 || checkpoint === null || (command !== 'verify' && command !== 'public-key')) {
  console.error(usage);
  process.exit(2);
}

if (command === 'public-key') {
  const key = loadAuditSigningKey();
  process.stdout.write(publicKeyPem(key));
  console.error(`key ID ${keyIdOf(key)}`);
} else {
  await verify();
}

async function verify(): Promise<void> {
  const exportDir = path.resolve(values['export-dir'] ?? config.auditExportDir);
  const pool = createPool(undefined, 1);
  try {
    const result = await verifyLogs(pool, { checkpoint: checkpoint ?? undefined, exportDir, publicKeys: publicKeys() });
    for (const { log, result: chain } of result.logs) {
      if (chain.intact) {
        const head = chain.head ? `; head ${chain.head.seq}:${chain.head.rowHash}` : '';
        console.log(`${log.title} intact: ${chain.entries} entries${head}`);
      } else {
        console.error(`${log.title} BROKEN at entry ${chain.seq}: ${chain.problem} (${chain.entries} entries before it verified)`);
      }
    }
    for (const problem of result.lineProblems) console.error(`signed heads BROKEN: ${problem}`);
    if (result.signedHeadsChecked === 0) {
      console.log(
        `no signed heads in ${exportDir}: a chain its tables' owner rewrote would verify (the worker exports them every AUDIT_EXPORT_INTERVAL)`,
      );
    } else {
      const latest = result.latestSigned.map((head) => `${head.log} ${head.seq} at ${head.at}`).join(', ');
      console.log(`signed heads: ${result.signedHeadsChecked} checked in ${exportDir}; latest ${latest}`);
    }
    if (!result.intact) process.exitCode = 1;
  } finally {
    await pool.end();
  }
}

/** The keys of --public-key, or the signing key's own. */
function publicKeys(): Map<string, KeyObject> {
  const files = values['public-key'] ?? [];
  const own = files.length === 0 ? existingAuditSigningKey() : null;
  const keys = own ? [createPublicKey(own)] : files.map((file) => parsePublicKey(readFileSync(file, 'utf8')));
  return new Map(keys.map((key) => [keyIdOf(key), key]));
}

function parseCheckpoint(text: string): Checkpoint | null {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  return match ? { seq: Number(match[1]), rowHash: match[2]! } : null;
}
