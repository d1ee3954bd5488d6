/**
 * People's accounts (issue 15): passwords stored as argon2id hashes and refused when short or
 * common, emails unique whatever their case, the runtime role's narrow grants; and the person in
 * every record: a step posted with a session is the same Update as with a key, and its audit entry
 * and the access log name the person; the chains cover the person and still verify rows without.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgency } from '../../api/agencies.js';
import { passwordMatches, passwordProblem } from '../../api/passwords.js';
import { addUser, listUsers } from '../../api/users.js';
import { ACCESS_LOG, appendAccess } from '../../audit/access-log.js';
import { appendAudit } from '../../audit/trail.js';
import { verifyAuditTrail } from '../../audit/verify.js';
import { verifyChain } from '../../audit/chain.js';
import { projectRoot } from '../../config.js';
import { dropDatabase } from '../../db/admin.js';
import { createPool, inTransaction, type Pool } from '../../db/pool.js';
import { prepareDatabase } from '../../db/prepare.js';
import { caseWorkflowId } from '../../workflows/messages.js';
import { browser, personIn, signIn } from '../support/people.js';
import { agencyClient, startService, type RunningService } from '../support/service.js';
import { tamperAsSuperuser } from '../support/tamper.js';

let service: RunningService;
const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');

beforeAll(async () => {
  service = await startService();
});
afterAll(async () => {
  await service?.stop();
});

describe('passwords', () => {
  it('are stored as argon2id hashes, never as given', async () => {
    const person = await personIn(service);
    const { rows } = await service.pool.query('SELECT password_hash FROM users WHERE id = $1', [person.userId]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(rows[0].password_hash).not.toContain(person.password);
    expect(await passwordMatches(rows[0].password_hash, person.password)).toBe(true);
    expect(await passwordMatches(rows[0].password_hash, `${person.password}x`)).toBe(false);
    expect(await passwordMatches(null, person.password)).toBe(false);
  });

  it('have at least 12 characters and are not common ones', () => {
    expect(passwordProblem('Tr0ub4dor&3')).toMatch(/at least 12 characters/);
    expect(passwordProblem('qwerty123456')).toMatch(/common passwords/);
    expect(passwordProblem('1Q2W3E4R5T6Y')).toMatch(/common passwords/);
    expect(passwordProblem('password12345')).toMatch(/common password with digits or symbols added/);
    expect(passwordProblem('!!2024Surabaya!!')).toMatch(/common password with digits or symbols added/);
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/too few characters/);
    expect(passwordProblem('kopi tubruk di Bungurasih')).toBeNull();
  });
});

describe('people under an agency', () => {
  it('take an email once, whatever its case, and are listed without their hashes', async () => {
    const { agencyId } = await addAgency(service.pool, { name: 'Dinsos Kota Surabaya', role: 'dinsos_kabkota', regionCode: '35.78' });
    const email = `Dewi.${randomUUID()}@Surabaya.example.id`;
    await addUser(service.pool, { agencyId, name: 'Dewi Lestari', email });
    await expect(addUser(service.pool, { agencyId, name: 'Another', email: email.toLowerCase() })).rejects.toThrow('exists already');
    const listed = await listUsers(service.pool, agencyId);
    expect(listed).toEqual([expect.objectContaining({ email, name: 'Dewi Lestari', role: 'dinsos_kabkota', disabled: false })]);
    expect(JSON.stringify(listed)).not.toMatch(/argon2|password/);
  });

  it('the runtime role may add and change people and sessions, but never delete a person', async () => {
    const person = await personIn(service);
    const asRuntime = (sql: string, values: unknown[]) =>
      inTransaction(service.pool, async (client) => {
        await client.query('SET LOCAL ROLE ppks_runtime');
        return client.query(sql, values);
      });
    await expect(asRuntime('UPDATE users SET name = name WHERE id = $1', [person.userId])).resolves.toMatchObject({ rowCount: 1 });
    await expect(asRuntime('DELETE FROM sessions WHERE user_id = $1', [person.userId])).resolves.toBeDefined();
    await expect(asRuntime('DELETE FROM users WHERE id = $1', [person.userId])).rejects.toThrow(/permission denied/);
    await expect(asRuntime('DELETE FROM step_people WHERE entry_key = $1', ['x'])).resolves.toBeDefined();
    await expect(asRuntime('UPDATE step_people SET user_id = $1', [person.userId])).rejects.toThrow(/permission denied/);
  });
});

describe('the person in every record', () => {
  it('a case opened and a step posted with a session: the same Updates as with a key, the audit trail and access log name the person', async () => {
    const reporter = await personIn(service, 'satpol_pp', { regionCode: '35.78' }, 'Bambang Sutrisno');
    const identifier = await personIn(service, 'dukcapil', {}, 'Dewi Lestari');
    const tabOf = async (person: typeof reporter) => {
      const { cookie, body } = await signIn(service.baseUrl, person.email, person.password);
      return browser(service.baseUrl, cookie!, body!.csrfToken as string);
    };
    const reporterTab = await tabOf(reporter);
    const opened = await reporterTab('POST', '/v1/cases', {
      body: { ppksType: 'gelandangan', foundAt: '2026-11-25T10:00:00+07:00', foundRegion: '35.78', person: { sex: 'M' } },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(opened.status).toBe(201);
    const caseNumber = opened.body!.caseNumber as string;
    const identified = await (
      await tabOf(identifier)
    )('POST', `/v1/cases/${caseNumber}/identification`, { body: { outcome: 'not_matched' } });
    expect(identified.status).toBe(200);
    // A read with the agency's key names no person.
    expect((await agencyClient(service.baseUrl, identifier.apiKey).get(`/v1/cases/${caseNumber}`)).status).toBe(200);
    expect((await reporterTab('GET', `/v1/cases/${caseNumber}`)).status).toBe(200);

    const audit = await service.pool.query('SELECT action, agency_id, user_id FROM audit_log WHERE case_number = $1 ORDER BY seq', [
      caseNumber,
    ]);
    expect(audit.rows).toEqual([
      { action: 'case.intake', agency_id: reporter.agencyId, user_id: reporter.userId },
      { action: 'case.identification', agency_id: identifier.agencyId, user_id: identifier.userId },
    ]);
    const access = await service.pool.query('SELECT endpoint, agency_id, user_id FROM access_log WHERE case_number = $1 ORDER BY seq', [
      caseNumber,
    ]);
    expect(access.rows).toEqual([
      { endpoint: 'POST /v1/cases', agency_id: reporter.agencyId, user_id: reporter.userId },
      { endpoint: 'POST /v1/cases/{caseNumber}/identification', agency_id: identifier.agencyId, user_id: identifier.userId },
      { endpoint: 'GET /v1/cases/{caseNumber}', agency_id: identifier.agencyId, user_id: null },
      { endpoint: 'GET /v1/cases/{caseNumber}', agency_id: reporter.agencyId, user_id: reporter.userId },
    ]);
    // The notes were taken with the entries.
    expect(
      (await service.pool.query('SELECT 1 FROM step_people WHERE entry_key LIKE $1', [`${caseWorkflowId(caseNumber)}/%`])).rows,
    ).toEqual([]);

    // The Updates carry the agency as actor, exactly as an API key's do: no person in the workflow's history.
    const history = await service.temporal.workflow.getHandle(caseWorkflowId(caseNumber)).fetchHistory();
    const actors = await Promise.all(
      (history.events ?? [])
        .map((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads)
        .filter((payloads) => payloads)
        .map(
          async (payloads) =>
            (await decodeFromPayloadsAtIndex<{ actor: unknown }>(service.temporal.options.loadedDataConverter, 0, payloads!)).actor,
        ),
    );
    expect(actors).toEqual([
      { agencyId: reporter.agencyId, role: 'satpol_pp', regionCode: '35.78', uptCode: null },
      { agencyId: identifier.agencyId, role: 'dukcapil', regionCode: null, uptCode: null },
    ]);
    expect(await verifyAuditTrail(service.pool)).toMatchObject({ intact: true });
    expect(await verifyAccessLog(service.pool)).toMatchObject({ intact: true });

    // The auditor reads the trails with the people's names resolved.
    const auditor = agencyClient(service.baseUrl, await service.keyFor({ name: 'Inspektorat', role: 'auditor' }));
    const trail = (await auditor.get(`/v1/cases/${caseNumber}/audit`)).body.items as { action: string; personName: string | null }[];
    expect(trail.map(({ action, personName }) => [action, personName])).toEqual([
      ['case.intake', reporter.name],
      ['case.identification', identifier.name],
    ]);
    const reads = (await auditor.get(`/v1/cases/${caseNumber}/access-log`)).body.items as {
      userId: string | null;
      personName: string | null;
    }[];
    expect(reads.slice(0, 4).map(({ userId, personName }) => [userId, personName])).toEqual([
      [reporter.userId, reporter.name],
      [identifier.userId, identifier.name],
      [null, null],
      [reporter.userId, reporter.name],
    ]);
  });
});

const verifyAccessLog = (db: Pool) => verifyChain(db, ACCESS_LOG);

describe('the chains with the person', () => {
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/ppks_accounts_chain_${process.pid}`;
  let pool: Pool;
  const tamper = (sql: string) => tamperAsSuperuser(pool, sql);

  beforeAll(async () => {
    await dropDatabase(databaseUrl);
    await prepareDatabase(databaseUrl);
    pool = createPool(databaseUrl, 2);
    // Entries from before people signed in (no person), then with and without one.
    for (const [i, userId] of [
      [1, undefined],
      [2, 'user_a'],
      [3, null],
      [4, 'user_b'],
    ] as const) {
      const common = {
        caseNumber: '3578-2026-000001',
        agencyId: 'agency-a',
        role: 'upt',
        requestId: `req-${i}`,
        at: `2026-11-2${i}T10:00:00+07:00`,
      };
      await appendAudit(pool, { ...common, entryKey: `entry-${i}`, action: 'case.follow_up', requestHash: String(i).repeat(64), userId });
      await appendAccess(pool, { ...common, endpoint: 'GET /v1/cases/{caseNumber}', userId });
    }
  });
  afterAll(async () => {
    await pool?.end();
    await dropDatabase(databaseUrl);
  });

  it('verify rows with and without a person, in npm run audit -- verify too', async () => {
    expect(await verifyAuditTrail(pool)).toMatchObject({ intact: true, entries: 4 });
    expect(await verifyAccessLog(pool)).toMatchObject({ intact: true, entries: 4 });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ppks-accounts-chain-'));
    try {
      const { stdout } = await promisify(execFile)(tsx, [path.join(projectRoot, 'scripts', 'audit.ts'), 'verify'], {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: databaseUrl, PPKS_DATA_DIR: dataDir, AUDIT_EXPORT_DIR: path.join(dataDir, 'audit-export') },
      });
      expect(stdout).toMatch(/audit trail intact: 4 entries/);
      expect(stdout).toMatch(/access log intact: 4 entries/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    ['another person put in', "UPDATE {log} SET user_id = 'user_c' WHERE seq = 2"],
    ['the person taken out', 'UPDATE {log} SET user_id = NULL WHERE seq = 4'],
    ['a person added to a row without', "UPDATE {log} SET user_id = 'user_a' WHERE seq = 3"],
  ])('find %s', async (_what, sql) => {
    for (const [log, verify] of [
      ['audit_log', verifyAuditTrail],
      ['access_log', verifyAccessLog],
    ] as const) {
      const { rows } = await pool.query(`SELECT seq::int, user_id FROM ${log} ORDER BY seq`);
      await tamper(sql.replace('{log}', log));
      expect(await verify(pool), log).toMatchObject({ intact: false, problem: expect.stringMatching(/does not match its hash/) });
      for (const row of rows)
        await tamper(`UPDATE ${log} SET user_id = ${row.user_id ? `'${row.user_id}'` : 'NULL'} WHERE seq = ${row.seq}`);
      expect(await verify(pool), log).toMatchObject({ intact: true });
    }
  });
});
