/**
 * The audit trail: every accepted change exactly once, written by the workflow keyed on the
 * Update ID, hash-chained; `npm run audit -- verify` finds an edited, deleted or reordered row.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, type AuditEntry } from '../../audit/trail.js';
import { verifyAuditTrail } from '../../audit/verify.js';
import { projectRoot } from '../../config.js';
import { createPool, type Pool } from '../../db/pool.js';
import { prepareDatabase } from '../../db/prepare.js';
import { dropDatabase } from '../../db/admin.js';
import { agenciesFor } from '../support/cases.js';
import { type AgencyClient, startService, type RunningService } from '../support/service.js';
import { tamperAsSuperuser } from '../support/tamper.js';

let service: RunningService;
let satpol: AgencyClient, dukcapil: AgencyClient, supervisor: AgencyClient, auditor: AgencyClient;

beforeAll(async () => {
  service = await startService();
  ({ satpol, dukcapil, supervisor, auditor } = await agenciesFor(service, 'Audit test', {
    satpol: ['satpol_pp', { regionCode: '35.78' }],
    dukcapil: 'dukcapil',
    supervisor: 'supervisor',
    auditor: 'auditor',
  }));
});

afterAll(async () => {
  await service?.stop();
});

const intake = {
  ppksType: 'pengemis',
  foundAt: '2026-11-20T21:15:00+07:00',
  foundRegion: '35.78',
  person: { sex: 'M', name: 'Rahasia Sekali', nik: '3578010101800001' },
};

describe('the audit trail of a case', () => {
  it('holds each accepted step exactly once, stored before the step is answered', async () => {
    const intakeKey = randomUUID();
    const opened = await satpol.post('/v1/cases', intake, { 'Idempotency-Key': intakeKey, 'X-Request-Id': 'req-intake-0001' });
    expect(opened.status).toBe(201);
    const n = opened.body.caseNumber;
    expect((await satpol.post('/v1/cases', intake, { 'Idempotency-Key': intakeKey })).status).toBe(200); // replayed

    const stepKey = randomUUID();
    const identified = await dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' }, { 'Idempotency-Key': stepKey });
    expect(identified.status).toBe(200);
    // Read at once, not eventually: the response waited for the entry.
    const afterStep = await service.pool.query('SELECT action FROM audit_log WHERE case_number = $1 ORDER BY seq', [n]);
    expect(afterStep.rows.map((row) => row.action)).toEqual(['case.intake', 'case.identification']);

    expect((await dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' }, { 'Idempotency-Key': stepKey })).status).toBe(
      200,
    );
    expect((await dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_possible' })).status).toBe(409); // wrong stage now
    const closed = await supervisor.post(`/v1/cases/${n}/close`, { reason: 'audit test' });
    expect(closed.status).toBe(200);

    const trail = await supervisor.get(`/v1/cases/${n}/audit`);
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((entry: { action: string }) => entry.action)).toEqual(['case.intake', 'case.identification', 'case.close']);
    const [first, second, third] = trail.body.items;
    expect(first).toMatchObject({ caseNumber: n, role: 'satpol_pp', requestId: 'req-intake-0001', details: { stage: 'intake' } });
    expect(first.entryKey).toMatch(new RegExp(`^case-${n}/intake/`));
    expect(second).toMatchObject({ role: 'dukcapil', details: { stage: 'identification' } });
    expect(second.entryKey).toContain(stepKey);
    expect(second.requestHash).toMatch(/^[\w-]+\.[\w-]{43}$/); // <key ID>.<HMAC>: keyed, never a plain hash
    expect(third).toMatchObject({ role: 'supervisor', agencyId: closed.body.steps.at(-1).by });
    expect(JSON.stringify(trail.body)).not.toMatch(/Rahasia|3578010101800001/);
    expect((await auditor.get(`/v1/cases/${n}/audit`)).body.items).toHaveLength(3);
  });

  it('records two intakes of identical bodies (two people alike) once each', async () => {
    const numbers = [];
    for (let i = 0; i < 2; i++) numbers.push((await satpol.post('/v1/cases', intake, { 'Idempotency-Key': randomUUID() })).body.caseNumber);
    const { rows } = await service.pool.query(`SELECT case_number FROM audit_log WHERE action = 'case.intake' AND case_number = ANY($1)`, [
      numbers,
    ]);
    expect(rows.map((row) => row.case_number).sort()).toEqual([...numbers].sort());
  });

  it('is written once per key, however often the activity is retried', async () => {
    const entry: AuditEntry = {
      entryKey: `retry-${randomUUID()}`,
      caseNumber: null,
      action: 'test.retry',
      agencyId: 'agency-test',
      role: 'supervisor',
      requestId: null,
      requestHash: 'f'.repeat(64),
      at: new Date().toISOString(),
    };
    const seqs = await Promise.all([appendAudit(service.pool, entry), appendAudit(service.pool, entry), appendAudit(service.pool, entry)]);
    expect(new Set(seqs).size).toBe(1);
    const { rows } = await service.pool.query('SELECT count(*)::int AS n FROM audit_log WHERE entry_key = $1', [entry.entryKey]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses updates and deletes from the service, in the audit trail and the access log alike', async () => {
    for (const table of ['audit_log', 'access_log']) {
      await expect(service.pool.query(`UPDATE ${table} SET role = role`)).rejects.toThrow(`${table} is append-only`);
      await expect(service.pool.query(`DELETE FROM ${table}`)).rejects.toThrow(`${table} is append-only`);
      await expect(service.pool.query(`TRUNCATE ${table}`)).rejects.toThrow(`${table} is append-only`);
    }
  });
});

describe('npm run audit -- verify', () => {
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/ppks_test_audit_${process.pid}`;
  let pool: Pool;
  // No signed heads here (tests/e2e/audit-owner.test.ts has them), and none of this machine's.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ppks-audit-trail-'));
  const verifyCommand = () =>
    promisify(execFile)(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), [path.join(projectRoot, 'scripts', 'audit.ts'), 'verify'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, PPKS_DATA_DIR: dataDir, AUDIT_EXPORT_DIR: path.join(dataDir, 'audit-export') },
    }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code: number; stderr: string }) => ({ code: error.code, output: error.stderr }),
    );

  const tamper = (sql: string) => tamperAsSuperuser(pool, sql);

  beforeAll(async () => {
    await dropDatabase(databaseUrl);
    await prepareDatabase(databaseUrl);
    pool = createPool(databaseUrl, 2);
    for (let i = 1; i <= 6; i++) {
      await appendAudit(pool, {
        entryKey: `entry-${i}`,
        caseNumber: '3578-2026-000001',
        action: 'case.follow_up',
        agencyId: 'agency-a',
        role: 'upt',
        requestId: `req-${i}`,
        requestHash: String(i).repeat(64),
        at: `2026-11-2${i}T10:00:00+07:00`,
        details: { stage: 'follow_up' },
      });
    }
  });

  afterAll(async () => {
    await pool?.end();
    await dropDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes an intact trail and prints its head', async () => {
    const result = await verifyCommand();
    expect(result).toMatchObject({ code: 0, output: expect.stringMatching(/audit trail intact: 6 entries; head 6:[0-9a-f]{64}/) });
    expect(result.output).toMatch(/access log intact: 0 entries/);
    expect(result.output).toMatch(/no signed heads in .*: a chain its tables' owner rewrote would verify/);
  });

  it.each([
    ['an edited row', "UPDATE audit_log SET agency_id = 'agency-b' WHERE seq = 3", 3, /does not match its hash/],
    ['a deleted row', 'DELETE FROM audit_log WHERE seq = 2', 3, /entry 2 is missing/],
    [
      'two rows swapped',
      'UPDATE audit_log SET seq = 1000 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = 5; UPDATE audit_log SET seq = 5 WHERE seq = 1000',
      4,
      /does not link/,
    ],
  ])('finds %s', async (_what, sql, brokenAt, problem) => {
    const before = await pool.query('SELECT * FROM audit_log ORDER BY seq');
    await tamper(sql);
    try {
      const result = await verifyCommand();
      expect(result.code).toBe(1);
      expect(result.output).toMatch(new RegExp(`BROKEN at entry ${brokenAt}: `));
      expect(result.output).toMatch(problem);
    } finally {
      await tamper('DELETE FROM audit_log');
      for (const row of before.rows) {
        await tamper(
          `INSERT INTO audit_log SELECT * FROM json_populate_record(null::audit_log, '${JSON.stringify(row).replaceAll("'", "''")}')`,
        );
      }
    }
    expect((await verifyAuditTrail(pool)).intact).toBe(true);
  });

  it('finds a truncated tail against a checkpoint', async () => {
    const intact = await verifyAuditTrail(pool);
    if (!intact.intact || !intact.head) throw new Error('trail should be intact');
    const before = await pool.query('SELECT * FROM audit_log WHERE seq = 6');
    await tamper('DELETE FROM audit_log WHERE seq = 6');
    try {
      expect((await verifyAuditTrail(pool)).intact).toBe(true); // without a checkpoint a cut tail looks intact
      expect(await verifyAuditTrail(pool, intact.head)).toMatchObject({
        intact: false,
        seq: 6,
        problem: expect.stringMatching(/truncated/),
      });
    } finally {
      await tamper(
        `INSERT INTO audit_log SELECT * FROM json_populate_record(null::audit_log, '${JSON.stringify(before.rows[0]).replaceAll("'", "''")}')`,
      );
    }
  });
});
