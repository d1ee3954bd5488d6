/**
 * Operator command for the audit trail:
 *   npm run audit -- verify [--checkpoint <seq>:<row hash>]
 * Exit code 0 when the chain is intact, 1 when a row was edited, deleted or reordered. Note the
 * printed head: passing it as --checkpoint later also catches rows cut off the end.
 */
import { parseArgs } from 'node:util';
import { verifyAuditTrail, type Checkpoint } from '../audit/verify.js';
import { createPool } from '../db/pool.js';
import { prepareDatabase } from '../db/prepare.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { checkpoint: { type: 'string' } } });
const checkpoint = values.checkpoint ? parseCheckpoint(values.checkpoint) : undefined;
if (positionals[0] !== 'verify' || checkpoint === null) {
  console.error('usage: npm run audit -- verify [--checkpoint <seq>:<row hash>]');
  process.exit(2);
}

await prepareDatabase();
const pool = createPool(undefined, 1);
try {
  const result = await verifyAuditTrail(pool, checkpoint);
  if (result.intact) {
    const head = result.head ? `; head ${result.head.seq}:${result.head.rowHash}` : '';
    console.log(`audit trail intact: ${result.entries} entries${head}`);
  } else {
    console.error(`audit trail BROKEN at entry ${result.seq}: ${result.problem} (${result.entries} entries before it verified)`);
    process.exitCode = 1;
  }
} finally {
  await pool.end();
}

function parseCheckpoint(text: string): Checkpoint | null {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  return match ? { seq: Number(match[1]), rowHash: match[2]! } : null;
}
