/**
 * Operator command for agencies:
 *   npm run agency -- add --name "<name>" --role <role> [--region <kab/kota code>] [--upt <upt code>]
 * Prints `{"agencyId": "...", "apiKey": "..."}` on its last line. The key is shown only this once.
 */
import { parseArgs } from 'node:util';
import { addAgency } from '../api/agencies.js';
import { createPool } from '../db/pool.js';
import { prepareDatabase } from '../db/prepare.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string' }, role: { type: 'string' }, region: { type: 'string' }, upt: { type: 'string' } },
});

if (positionals[0] !== 'add') {
  console.error('usage: npm run agency -- add --name "<name>" --role <role> [--region <kab/kota code>] [--upt <upt code>]');
  process.exit(2);
}

await prepareDatabase();
const pool = createPool();
try {
  const created = await addAgency(pool, { name: values.name ?? '', role: values.role ?? '', regionCode: values.region, uptCode: values.upt });
  console.log(JSON.stringify(created));
} catch (error) {
  console.error(`agency not added: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
