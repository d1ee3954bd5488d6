/** The operator commands as an operator runs them: `npm run agency -- add|list|rotate|revoke` and `npm run registry -- load`. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { agencyForKey, hashApiKey } from '../../api/auth.js';
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
    const { stdout } = await command('agency.ts', [
      'add',
      '--name',
      'Dinsos Kabupaten Sidoarjo',
      '--role',
      'dinsos_kabkota',
      '--region',
      '35.15',
    ]);
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

/** A command expected to fail: its exit code and output. */
const failing = (script: string, args: string[]) =>
  command(script, args).then(
    () => {
      throw new Error(`${args.join(' ')} succeeded`);
    },
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
const lastLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);
const keyIdOf = async (apiKey: string) =>
  (await pool.query<{ id: string }>('SELECT id FROM api_keys WHERE key_hash = $1', [hashApiKey(apiKey)])).rows[0]!.id;
const hoursLeft = async (keyId: string) => {
  const { rows } = await pool.query<{ expires_at: Date }>('SELECT expires_at FROM api_keys WHERE id = $1', [keyId]);
  return (rows[0]!.expires_at.getTime() - Date.now()) / 3_600_000;
};
const addProv = async (name: string, ...extra: string[]) =>
  lastLine((await command('agency.ts', ['add', '--name', name, '--role', 'dinsos_prov', ...extra])).stdout) as {
    agencyId: string;
    apiKey: string;
  };

describe('npm run agency -- list, rotate, revoke', () => {
  it('add --expires-in gives the key an expiry', async () => {
    const { apiKey } = await addProv('Dinsos Prov (90-day key)', '--expires-in', 'P90D');
    const days = (await hoursLeft(await keyIdOf(apiKey))) / 24;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    expect(await agencyForKey(pool, apiKey)).not.toBeNull();
  });

  it('list shows every agency with its keys as a table or JSON, never a key or its hash', async () => {
    const { agencyId, apiKey } = await addProv('Dinsos Prov (listed)');
    const keyId = await keyIdOf(apiKey);
    const table = (await command('agency.ts', ['list'])).stdout;
    expect(table.split('\n')[0]).toMatch(/^AGENCY\s+ROLE\s+SCOPE\s+KEY\s+CREATED \(WIB\)\s+EXPIRES \(WIB\)\s+STATUS\s+NAME$/);
    const row = table.split('\n').find((line) => line.includes(keyId));
    expect(row).toMatch(
      new RegExp(
        `^${agencyId}\\s+dinsos_prov\\s+-\\s+${keyId}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+never\\s+live\\s+Dinsos Prov \\(listed\\)$`,
      ),
    );

    const json = (await command('agency.ts', ['list', '--json'])).stdout;
    const listed = (JSON.parse(json) as { agencyId: string }[]).find((agency) => agency.agencyId === agencyId);
    expect(listed).toEqual({
      agencyId,
      name: 'Dinsos Prov (listed)',
      role: 'dinsos_prov',
      regionCode: null,
      uptCode: null,
      createdAt: expect.stringMatching(/\+07:00$/),
      keys: [{ keyId, createdAt: expect.stringMatching(/\+07:00$/), expiresAt: null, revokedAt: null, status: 'live' }],
    });
    for (const output of [table, json]) {
      expect(output).not.toContain(apiKey);
      expect(output).not.toContain(hashApiKey(apiKey));
    }
  });

  it('rotate prints the new key last and gives the old one 24 hours; --grace PT0S cuts it off at once', async () => {
    const { agencyId, apiKey: firstKey } = await addProv('Dinsos Prov (rotating)');
    const firstKeyId = await keyIdOf(firstKey);
    const second = lastLine((await command('agency.ts', ['rotate', '--agency', agencyId])).stdout);
    expect(second).toEqual({
      agencyId,
      keyId: expect.stringMatching(/^key_/),
      apiKey: expect.stringMatching(/^ppks_/),
      expiresAt: null,
      previousKeys: [{ keyId: firstKeyId, expiresAt: expect.stringMatching(/\+07:00$/) }],
    });
    expect(await keyIdOf(second.apiKey)).toBe(second.keyId);
    expect(await agencyForKey(pool, second.apiKey)).toMatchObject({ agencyId });
    expect(await agencyForKey(pool, firstKey)).toMatchObject({ agencyId });
    expect(await hoursLeft(firstKeyId)).toBeGreaterThan(23.9);
    expect(await hoursLeft(firstKeyId)).toBeLessThanOrEqual(24);

    const third = lastLine(
      (await command('agency.ts', ['rotate', '--agency', agencyId, '--grace', 'PT0S', '--expires-in', 'P30D'])).stdout,
    );
    expect(await agencyForKey(pool, second.apiKey)).toBeNull();
    expect(await agencyForKey(pool, firstKey)).toBeNull();
    expect(await agencyForKey(pool, third.apiKey)).toMatchObject({ agencyId });
    expect((await hoursLeft(third.keyId)) / 24).toBeGreaterThan(29.9);
  });

  it("revoke ends one key or all of an agency's keys at once, and records each in the audit trail", async () => {
    const { agencyId, apiKey: oldKey } = await addProv('Dinsos Prov (revoked)');
    const oldKeyId = await keyIdOf(oldKey);
    const rotated = lastLine((await command('agency.ts', ['rotate', '--agency', agencyId])).stdout);

    expect(lastLine((await command('agency.ts', ['revoke', '--key', rotated.keyId])).stdout)).toEqual({ revoked: [rotated.keyId] });
    expect(await agencyForKey(pool, rotated.apiKey)).toBeNull();
    expect(await agencyForKey(pool, oldKey)).toMatchObject({ agencyId });

    expect(lastLine((await command('agency.ts', ['revoke', '--agency', agencyId])).stdout)).toEqual({ revoked: [oldKeyId] });
    expect(await agencyForKey(pool, oldKey)).toBeNull();
    const again = await command('agency.ts', ['revoke', '--agency', agencyId]);
    expect(lastLine(again.stdout)).toEqual({ revoked: [] });
    expect(again.stderr).toContain('nothing to revoke');

    const { rows } = await pool.query('SELECT action, role, details FROM audit_log WHERE agency_id = $1 ORDER BY seq', [agencyId]);
    expect(rows.map((row) => [row.action, row.details.keyId])).toEqual([
      ['agency.added', oldKeyId],
      ['api_key.rotated', rotated.keyId],
      ['api_key.revoked', rotated.keyId],
      ['api_key.revoked', oldKeyId],
    ]);
    expect(rows.every((row) => row.role === 'operator')).toBe(true);
    const trail = JSON.stringify(rows);
    for (const key of [oldKey, rotated.apiKey]) {
      expect(trail).not.toContain(key);
      expect(trail).not.toContain(hashApiKey(key));
    }
  });

  it('exits 2 on bad usage and 1 naming an unknown agency or key', async () => {
    const usage = await Promise.all([
      failing('agency.ts', ['frobnicate']),
      failing('agency.ts', ['rotate']),
      failing('agency.ts', ['revoke', '--agency', 'agency_a', '--key', 'key_a']),
      failing('agency.ts', ['rotate', '--agency', 'agency_a', '--grace', '24h']),
      failing('agency.ts', ['list', '--grace', 'PT1H']),
    ]);
    expect(usage.map((result) => result.code)).toEqual([2, 2, 2, 2, 2]);
    expect(usage.map((result) => result.stderr.split('\n')[0])).toEqual([
      'unknown command frobnicate',
      'rotate needs --agency',
      'revoke needs either --agency or --key',
      '--grace must be an ISO 8601 duration such as P90D or PT24H',
      'list does not take --grace',
    ]);
    expect(usage[0]!.stderr).toContain('npm run agency -- rotate --agency <agency id>');

    const rotateUnknown = await failing('agency.ts', ['rotate', '--agency', 'agency_nobody']);
    expect(rotateUnknown).toMatchObject({ code: 1, stderr: expect.stringContaining('unknown agency agency_nobody') });
    const revokeUnknown = await failing('agency.ts', ['revoke', '--key', 'key_nothing']);
    expect(revokeUnknown).toMatchObject({ code: 1, stderr: expect.stringContaining('unknown key key_nothing') });
  });
});

describe('npm run registry -- load', () => {
  it('loads well-formed rows and reports the others by line', async () => {
    const csv = path.join(mkdtempSync(path.join(tmpdir(), 'registry-')), 'people.csv');
    writeFileSync(
      csv,
      'nik,region_code,address\n3507025708700002,35.07,"Jl. Melati 2, Kepanjen"\n12345,35.07,\n3507021208700003,Malang,\n',
    );
    const failed = await command('registry.ts', ['load', csv]).catch((error: { stdout: string; stderr: string; code: number }) => error);
    expect(failed).toMatchObject({ code: 1, stdout: expect.stringContaining('{"loaded":1,"rejected":2}') });
    expect((failed as { stderr: string }).stderr).toContain('line 3: not a well-formed NIK');
    expect((failed as { stderr: string }).stderr).toContain('line 4: region_code must look like 35.78');
    const { rows } = await pool.query('SELECT region_code, address FROM civil_registry WHERE nik = $1', ['3507025708700002']);
    expect(rows).toEqual([{ region_code: '35.07', address: 'Jl. Melati 2, Kepanjen' }]);
  });
});
