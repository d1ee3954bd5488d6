/**
 * The local civil registry (stand-in for Dukcapil's national registry):
 *   npm run registry -- load <file.csv>
 * The CSV has a header `nik,region_code,address` (address may be empty; quote it when it has commas).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { PostgresCivilRegistry } from '../activities/civil-registry/registry.js';
import { createPool } from '../db/pool.js';
import { prepareDatabase } from '../db/prepare.js';
import { checkNik } from '../domain/nik.js';

const [command, file] = process.argv.slice(2);
if (command !== 'load' || !file) {
  console.error('usage: npm run registry -- load <file.csv>   (columns: nik,region_code,address)');
  process.exit(2);
}

const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
await prepareDatabase();
const pool = createPool();
const registry = new PostgresCivilRegistry(pool);
let loaded = 0;
const rejected: string[] = [];
for (const [index, row] of rows.entries()) {
  const line = index + 2;
  if (!row.nik || !checkNik(row.nik).valid) rejected.push(`line ${line}: not a well-formed NIK`);
  else if (!/^\d{2}\.\d{2}$/.test(row.region_code ?? '')) rejected.push(`line ${line}: region_code must look like 35.78`);
  else {
    await registry.upsert(row.nik, { regionCode: row.region_code!, address: row.address || null });
    loaded++;
  }
}
await pool.end();
console.log(JSON.stringify({ loaded, rejected: rejected.length }));
for (const problem of rejected) console.error(problem);
process.exitCode = rejected.length ? 1 : 0;
