/** The operator commands as an operator runs them: `npm run agency -- add` and `npm run registry -- load`. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashApiKey } from '../../api/auth.js';
import { projectRoot } from '../../config.js';
import { createPool, type Pool } from '../../db/pool.js';

const run = promisify(execFile);
const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
let pool: Pool;

const command = (script: string, args: string[]) =>
  run(tsx, [path.join(projectRoot, 'scripts', script), ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
  });

beforeAll(() => {
  pool = createPool(inject('databaseUrl'), 2);
});
afterAll(async () => {
  await pool.end();
});

describe('npm run agency -- add', () => {
  it('prints the agency and its key on the last line and stores only a hash', async () => {
    const { stdout } = await command('agency.ts', ['add', '--name', 'Dinsos Kabupaten Sidoarjo', '--role', 'dinsos_kabkota', '--region', '35.15']);
    const created = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(created).toEqual({ agencyId: expect.stringMatching(/^agency_/), apiKey: expect.stringMatching(/^ppks_/) });
    const { rows } = await pool.query(
      'SELECT a.role, a.region_code, k.key_hash FROM agencies a JOIN api_keys k ON k.agency_id = a.id WHERE a.id = $1',
      [created.agencyId],
    );
    expect(rows).toEqual([{ role: 'dinsos_kabkota', region_code: '35.15', key_hash: hashApiKey(created.apiKey) }]);
    const stored = await pool.query('SELECT 1 FROM api_keys WHERE key_hash = $1', [created.apiKey]);
    expect(stored.rowCount).toBe(0);
  });

  it('refuses a regional role without its region, and an unknown UPT', async () => {
    await expect(command('agency.ts', ['add', '--name', 'Satpol PP', '--role', 'satpol_pp'])).rejects.toMatchObject({
      stderr: expect.stringContaining('--region'),
    });
    await expect(command('agency.ts', ['add', '--name', 'UPT', '--role', 'upt', '--upt', 'upt_nowhere'])).rejects.toMatchObject({
      stderr: expect.stringContaining('unknown UPT'),
    });
  });
});

describe('npm run registry -- load', () => {
  it('loads well-formed rows and reports the others by line', async () => {
    const csv = path.join(mkdtempSync(path.join(tmpdir(), 'registry-')), 'people.csv');
    writeFileSync(csv, 'nik,region_code,address\n3507025708700002,35.07,"Jl. Melati 2, Kepanjen"\n12345,35.07,\n3507021208700003,Malang,\n');
    const failed = await command('registry.ts', ['load', csv]).catch((error: { stdout: string; stderr: string; code: number }) => error);
    expect(failed).toMatchObject({ code: 1, stdout: expect.stringContaining('{"loaded":1,"rejected":2}') });
    expect((failed as { stderr: string }).stderr).toContain('line 3: not a well-formed NIK');
    expect((failed as { stderr: string }).stderr).toContain('line 4: region_code must look like 35.78');
    const { rows } = await pool.query('SELECT region_code, address FROM civil_registry WHERE nik = $1', ['3507025708700002']);
    expect(rows).toEqual([{ region_code: '35.07', address: 'Jl. Melati 2, Kepanjen' }]);
  });
});
