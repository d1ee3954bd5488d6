/**
 * Issue 13, finding 6: the owner of the tables can rewrite history. On a database of its own,
 * owned by a role that is not a superuser, with the service connected as a role granted
 * ppks_runtime: the runtime role can append to the logs but neither change them nor disable their
 * triggers; the owner can do both, and can even recompute a whole chain so that it verifies on
 * its own, but not past a head signed with a key the database never holds. And the worker keeps
 * a Schedule that signs those heads.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditExportActivities } from '../../activities/audit-export.js';
import { ACCESS_LOG, appendAccess } from '../../audit/access-log.js';
import { type ChainedLog, chainHead, GENESIS_HASH, linkHash, verifyChain } from '../../audit/chain.js';
import { EXPORT_FILE, readSignedHeads, signatureHolds } from '../../audit/signed-heads.js';
import { keyIdOf, publicKeyPem } from '../../audit/signing-key.js';
import { AUDIT_LOG, appendAudit } from '../../audit/trail.js';
import { projectRoot } from '../../config.js';
import { dropDatabase, onServer } from '../../db/admin.js';
import { createPool, inTransaction, type Pool } from '../../db/pool.js';
import { prepareDatabase } from '../../db/prepare.js';
import { encryptingDataConverter } from '../../encryption/data-converter.js';
import { parsePayloadKeys } from '../../encryption/keys.js';
import { auditExportScheduleId, ensureAuditExportSchedule } from '../../worker/audit-export-schedule.js';
import { eventually } from '../support/service.js';

const DATABASE = 'ppks_test_audit_owner';
const OWNER = 'ppks_test_audit_owner';
const RUNTIME = 'ppks_test_audit_runtime';
const password = randomBytes(12).toString('hex');

const urlAs = (user: string | null) => {
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${DATABASE}`;
  if (user) {
    url.username = user;
    url.password = password;
  }
  return url.toString();
};
const superuserUrl = urlAs(null);
const ownerUrl = urlAs(OWNER);
const runtimeUrl = urlAs(RUNTIME);

const { privateKey: signingKey } = generateKeyPairSync('ed25519');
const signingKeyPem = signingKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const scratch = mkdtempSync(path.join(tmpdir(), 'ppks-audit-owner-'));
const exportDir = path.join(scratch, 'export');

let owner: Pool;
let runtime: Pool;

const dropRoles = () =>
  onServer(superuserUrl, async (admin) => {
    for (const role of [RUNTIME, OWNER]) await admin.query(`DROP ROLE IF EXISTS ${role}`);
  });

beforeAll(async () => {
  await dropDatabase(superuserUrl);
  await dropRoles();
  // The owner as a deployment would have it: no superuser, no CREATEROLE (ppks_runtime exists on
  // this server since the suite's database was migrated), the owner of its database.
  await onServer(superuserUrl, async (admin) => {
    await admin.query(`CREATE ROLE ${OWNER} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE ${DATABASE} OWNER ${OWNER}`);
  });
  await prepareDatabase(ownerUrl);
  await onServer(superuserUrl, (admin) => admin.query(`CREATE ROLE ${RUNTIME} LOGIN PASSWORD '${password}' IN ROLE ppks_runtime`));
  owner = createPool(ownerUrl, 2);
  runtime = createPool(runtimeUrl, 2);
  for (let i = 1; i <= 4; i++) {
    await appendAudit(runtime, {
      entryKey: `owner-test-${i}`,
      caseNumber: '3578-2026-000001',
      action: 'case.follow_up',
      agencyId: 'agency-upt',
      role: 'upt',
      requestId: `req-${i}`,
      requestHash: String(i).repeat(64),
      at: `2026-11-2${i}T10:00:00.123+07:00`,
      details: { stage: 'follow_up' },
    });
    await appendAccess(runtime, {
      caseNumber: '3578-2026-000001',
      agencyId: 'agency-auditor',
      role: 'auditor',
      endpoint: 'GET /v1/cases/{caseNumber}',
      requestId: `read-${i}`,
      at: new Date().toISOString(),
    });
  }
});

afterAll(async () => {
  await owner?.end();
  await runtime?.end();
  await dropDatabase(superuserUrl);
  await dropRoles();
  rmSync(scratch, { recursive: true, force: true });
});

const LOGS = [AUDIT_LOG, ACCESS_LOG] as ChainedLog<unknown>[];

/** What the owner can do: disable the trigger, edit a row and recompute every hash after it. */
const rewrite = (log: ChainedLog<unknown>, seq: number) =>
  inTransaction(owner, async (client) => {
    await client.query(`ALTER TABLE ${log.table} DISABLE TRIGGER USER`);
    await client.query(`UPDATE ${log.table} SET agency_id = 'agency-forged' WHERE seq = $1`, [seq]);
    const { rows } = await client.query(`SELECT ${log.select} FROM ${log.table} ORDER BY seq`);
    let prevHash = GENESIS_HASH;
    for (const row of rows) {
      const rowHash = linkHash(prevHash, [row.seq, ...log.hashed(log.fromRow(row))]);
      await client.query(`UPDATE ${log.table} SET prev_hash = $2, row_hash = $3 WHERE seq = $1`, [row.seq, prevHash, rowHash]);
      prevHash = rowHash;
    }
    await client.query(`ALTER TABLE ${log.table} ENABLE TRIGGER USER`);
  });

const restore = (table: string, rows: unknown[]) =>
  inTransaction(owner, async (client) => {
    await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await client.query(`DELETE FROM ${table}`);
    for (const row of rows) {
      await client.query(`INSERT INTO ${table} SELECT * FROM json_populate_record(null::${table}, $1)`, [JSON.stringify(row)]);
    }
    await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  });

describe('the runtime role', () => {
  it.each(LOGS.map((log) => [log.table]))('may append to and read %s, and nothing more', async (table) => {
    expect((await runtime.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(4);
    const refused = async (sql: string) => {
      const error = await runtime.query(sql).then(
        () => null,
        (e: Error) => e,
      );
      expect(error, sql).toBeInstanceOf(Error);
      return error!.message;
    };
    expect(await refused(`UPDATE ${table} SET role = role`)).toMatch(/permission denied/);
    expect(await refused(`DELETE FROM ${table}`)).toMatch(/permission denied/);
    expect(await refused(`TRUNCATE ${table}`)).toMatch(/permission denied/);
    expect(await refused(`ALTER TABLE ${table} DISABLE TRIGGER USER`)).toMatch(/must be owner/);
    expect(await refused(`ALTER TABLE ${table} DISABLE TRIGGER ALL`)).toMatch(/must be owner/);
    // The bypass of triggers a superuser has.
    expect(await refused('SET session_replication_role = replica')).toMatch(/permission denied/);
    const { rows } = await owner.query(
      `SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) AS granted
       FROM information_schema.role_table_grants WHERE grantee = 'ppks_runtime' AND table_name = $1`,
      [table],
    );
    expect(rows[0].granted).toBe('INSERT,SELECT');
  });

  it('owns nothing in the database', async () => {
    const { rows } = await owner.query(
      `SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = ANY($1)
       UNION ALL SELECT p.proname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE r.rolname = ANY($1)`,
      [['ppks_runtime', RUNTIME]],
    );
    expect(rows).toEqual([]);
  });
});

describe('a rewrite by the owner of the tables', () => {
  const verifyCommand = (...args: string[]) =>
    promisify(execFile)(
      path.join(projectRoot, 'node_modules', '.bin', 'tsx'),
      [path.join(projectRoot, 'scripts', 'audit.ts'), 'verify', ...args],
      {
        cwd: projectRoot,
        env: {
          ...process.env,
          DATABASE_URL: runtimeUrl,
          AUDIT_EXPORT_DIR: exportDir,
          PPKS_AUDIT_SIGNING_KEY: signingKeyPem,
          PPKS_DATA_DIR: scratch,
        },
      },
    ).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    );

  it('is checked against signed heads of both logs, exported while they were intact', async () => {
    const { signed, problems } = await auditExportActivities(runtime, { signingKey, exportDir }).exportSignedHeads();
    expect(problems).toEqual([]);
    expect(signed.map(({ log, seq }) => [log, seq])).toEqual([
      ['audit_log', 4],
      ['access_log', 4],
    ]);
    const verified = await verifyCommand();
    expect(verified.code).toBe(0);
    expect(verified.output).toMatch(/audit trail intact: 4 entries/);
    expect(verified.output).toMatch(/access log intact: 4 entries/);
    expect(verified.output).toMatch(/signed heads: 2 checked/);
  });

  it.each(LOGS.map((log) => [log.title, log]))('of the %s is found through its signed head', async (_title, log) => {
    const before = (await owner.query(`SELECT * FROM ${log.table} ORDER BY seq`)).rows;
    const [line] = (await readSignedHeads(exportDir)).filter(({ head }) => head?.log === log.table);
    try {
      await rewrite(log, 2);
      expect((await owner.query(`SELECT agency_id FROM ${log.table} WHERE seq = 2`)).rows[0].agency_id).toBe('agency-forged');
      // The chain alone holds again: without the signed head the rewrite would go unnoticed.
      expect(await verifyChain(owner, log)).toMatchObject({ intact: true, entries: 4 });

      const result = await verifyCommand();
      expect(result.code).toBe(1);
      expect(result.output).toContain(
        `${log.title} BROKEN at entry 4: differs from the head signed at ${line!.head!.at} (${EXPORT_FILE} line ${line!.line})`,
      );
      // And the export signs no head of a chain that contradicts its last one.
      const again = await auditExportActivities(runtime, { signingKey, exportDir }).exportSignedHeads();
      expect(again.problems).toEqual([expect.stringContaining(`${log.title} broken at entry 4: differs from the head signed at`)]);
      expect(again.signed.map((head) => head.log)).toEqual(LOGS.filter((other) => other !== log).map((other) => other.table));
    } finally {
      await restore(log.table, before);
    }
    expect((await verifyCommand()).code).toBe(0);
  });

  it("finds a changed signed line, and checks against an auditor's copy of the public key", async () => {
    const keyFile = path.join(scratch, 'audit-public-key.pem');
    writeFileSync(keyFile, publicKeyPem(signingKey));
    expect((await verifyCommand('--public-key', keyFile)).code).toBe(0);
    const otherKey = path.join(scratch, 'other-public-key.pem');
    writeFileSync(otherKey, publicKeyPem(generateKeyPairSync('ed25519').privateKey));
    const unknown = await verifyCommand('--public-key', otherKey);
    expect(unknown).toMatchObject({
      code: 1,
      output: expect.stringMatching(/signed by key [0-9a-f]{16}, which is not one to check against/),
    });

    const file = path.join(exportDir, EXPORT_FILE);
    const original = readFileSync(file, 'utf8');
    try {
      const lines = original.trimEnd().split('\n');
      const first = JSON.parse(lines[0]!);
      lines[0] = JSON.stringify({ ...first, seq: first.seq - 1 });
      writeFileSync(file, `${lines.join('\n')}\n`);
      expect(await verifyCommand()).toMatchObject({
        code: 1,
        output: expect.stringContaining(`(${EXPORT_FILE} line 1): its signature does not hold`),
      });
    } finally {
      writeFileSync(file, original);
    }
  });
});

describe('the audit export Schedule', () => {
  const taskQueue = `audit-export-test-${randomUUID()}`;
  const payloadKeys = `test:${randomBytes(32).toString('base64')}`;
  let worker: ChildProcess | undefined;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    worker = spawn(process.execPath, ['--import', 'tsx', path.join('worker', 'main.ts')], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: runtimeUrl,
        DATABASE_OWNER_URL: ownerUrl,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: taskQueue,
        PPKS_PAYLOAD_KEYS: payloadKeys,
        PPKS_AUDIT_SIGNING_KEY: signingKeyPem,
        PPKS_DATA_DIR: scratch,
        AUDIT_EXPORT_DIR: exportDir,
        AUDIT_EXPORT_INTERVAL: 'PT1H',
        LOG_LEVEL: 'info',
      },
    });
    const output: string[] = [];
    await new Promise<void>((resolve, reject) => {
      readline.createInterface({ input: worker!.stderr! }).on('line', (line) => output.push(line));
      readline.createInterface({ input: worker!.stdout! }).on('line', (line) => {
        output.push(line);
        if (line.includes('worker polling')) resolve();
      });
      worker!.once('exit', (code) => reject(new Error(`the worker exited (${code}):\n${output.join('\n')}`)));
    });
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection, dataConverter: encryptingDataConverter(parsePayloadKeys(payloadKeys)) });
  });

  afterAll(async () => {
    await client?.schedule
      .getHandle(auditExportScheduleId(taskQueue))
      .delete()
      .catch(() => {});
    await connection?.close();
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker!.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
  });

  const schedule = () => client.schedule.getHandle(auditExportScheduleId(taskQueue));
  const linesOf = async (log: string) => (await readSignedHeads(exportDir)).filter(({ head }) => head?.log === log);

  it('exists once the worker has started, every AUDIT_EXPORT_INTERVAL, and is updated in place', async () => {
    const described = await schedule().describe();
    expect((described.spec.intervals ?? []).map((interval) => interval.every)).toEqual([3_600_000]);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'auditExport', taskQueue });
    expect(described.policies.overlap).toBe('SKIP');

    // What a second worker, or a restart with another interval, does.
    await ensureAuditExportSchedule(client, { taskQueue, interval: 'PT30M' });
    expect(((await schedule().describe()).spec.intervals ?? []).map((interval) => interval.every)).toEqual([1_800_000]);
    await ensureAuditExportSchedule(client, { taskQueue, interval: 'PT1H' });
    expect(((await schedule().describe()).spec.intervals ?? []).map((interval) => interval.every)).toEqual([3_600_000]);
  });

  it('runs a workflow that appends a signed line for each log', async () => {
    await appendAccess(runtime, {
      caseNumber: '3578-2026-000001',
      agencyId: 'agency-auditor',
      role: 'auditor',
      endpoint: 'GET /v1/cases/{caseNumber}',
      requestId: 'read-5',
      at: new Date().toISOString(),
    });
    const before = (await readSignedHeads(exportDir)).length;
    await schedule().trigger();
    const added = await eventually(async () => {
      const lines = await readSignedHeads(exportDir);
      expect(lines.length).toBe(before + 2);
      return lines.slice(before).map((line) => line.head!);
    }, 30_000);
    const publicKeys = new Map<string, KeyObject>([[keyIdOf(signingKey), signingKey]]);
    expect(added.map(({ log, seq }) => [log, seq])).toEqual([
      ['audit_log', (await chainHead(owner, AUDIT_LOG))!.seq],
      ['access_log', 5],
    ]);
    expect(added.map((head) => head.hash)).toEqual([
      (await chainHead(owner, AUDIT_LOG))!.rowHash,
      (await chainHead(owner, ACCESS_LOG))!.rowHash,
    ]);
    for (const head of added) expect(signatureHolds(head, publicKeys)).toBe(true);
    const [recent] = (await schedule().describe()).info.recentActions;
    expect(recent).toBeDefined();
  });

  it('fails a run, signing nothing for it, when a chain no longer matches its signed head', async () => {
    const before = (await owner.query('SELECT * FROM access_log ORDER BY seq')).rows;
    const linesBefore = (await linesOf('access_log')).length;
    const runsBefore = (await schedule().describe()).info.recentActions.length;
    try {
      await rewrite(ACCESS_LOG as ChainedLog<unknown>, 2);
      await schedule().trigger();
      const workflowId = await eventually(async () => {
        const runs = (await schedule().describe()).info.recentActions;
        expect(runs.length).toBe(runsBefore + 1);
        return runs.at(-1)!.action.workflow.workflowId;
      });
      const failure = await client.workflow
        .getHandle(workflowId)
        .result()
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      const cause = (failure as WorkflowFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect(cause).toMatchObject({
        type: 'AuditChainBroken',
        message: expect.stringContaining('access log broken at entry 5: differs from the head signed at'),
      });
      expect((await linesOf('access_log')).length).toBe(linesBefore);
    } finally {
      await restore('access_log', before);
    }
  });
});
