/**
 * Minimum disclosure and the read-access log: a person's data goes only to the full view of one
 * case, every such response is logged, and none of the values posted shows up in logs, error
 * messages, search attributes, memo, summary, current details, the case index or lists.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonical, hashKeyring, requestHash } from '../../api/request-hash.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { caseWorkflowId } from '../../workflows/messages.js';
import { agenciesFor, CASE_AGENCIES, openCase, postStep } from '../support/cases.js';
import { type AgencyClient, agencyClient, eventually, startService, type RunningService } from '../support/service.js';

const logFile = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? '/tmp'}/ppks-personal-data-${process.pid}.log`;
  process.env.LOG_FILE = file;
  process.env.LOG_LEVEL = 'trace';
  return file;
});

const person = { name: 'Sukarti Wahyuningsih', nik: '3578015608750002', description: 'tato naga di lengan kiri' };
const foundPlace = 'kolong Jembatan Merah dekat pos';
const notes = 'mengaku punya adik di Patrang';
const address = 'Jl. Kenanga 7 RT 02 RW 05';
const receivedBy = 'Bapak Darmono, kepala desa';
const visitNotes = 'tinggal bersama adik, Ibu Sumiati';
const personalValues = [person.name, person.nik, person.description, foundPlace, notes, address, receivedBy, visitNotes];

let service: RunningService;
let agency: Record<'satpol' | 'dukcapil' | 'prov' | 'jember' | 'supervisor' | 'auditor', AgencyClient>;
let caseNumber: string;
const errorBodies: unknown[] = [];

/** Fails naming the value and where it leaked. */
function expectNoPersonalData(where: string, content: unknown): void {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  for (const value of personalValues) expect(text.includes(value), `${where} contains "${value}"`).toBe(false);
}

beforeAll(async () => {
  service = await startService();
  agency = await agenciesFor(service, 'PII test', {
    ...CASE_AGENCIES,
    jember: ['dinsos_kabkota', { regionCode: '35.09' }],
    auditor: 'auditor',
  });
  const body = {
    ppksType: 'pemulung',
    foundAt: '2026-11-20T21:15:00+07:00',
    foundRegion: '35.78',
    foundPlace,
    notes,
    person: { sex: 'F', estimatedAge: 51, ...person },
  };
  caseNumber = (await openCase(agency.satpol, body, `pii-${Date.now()}`)).caseNumber;
  const step = (by: AgencyClient, path: string, stepBody: unknown) => postStep(by, caseNumber, path, stepBody);
  await step(agency.dukcapil, 'identification', { outcome: 'matched', nik: person.nik });
  await step(agency.prov, 'address', { outcome: 'found', homeRegion: '35.09', address });
  await step(agency.prov, 'repatriation/departure', {});
  await step(agency.jember, 'repatriation/handover', { receivedBy });
  await step(agency.jember, 'follow-ups', { outcome: 'stable', notes: visitNotes });

  // Bad requests carrying personal data: the answers must not quote it back.
  const bad: [AgencyClient, string, unknown][] = [
    [agency.satpol, '/v1/cases', { ...body, person: { ...body.person, nik: `${person.nik}9` } }],
    [agency.satpol, '/v1/cases', { ...body, person: { ...body.person, sex: person.name } }],
    [agency.satpol, '/v1/cases', { ...body, foundRegion: person.nik }],
    [agency.satpol, '/v1/cases', { ...body, [person.name]: address }],
    [agency.dukcapil, `/v1/cases/${caseNumber}/identification`, { outcome: 'matched', nik: person.nik }],
    [agency.jember, `/v1/cases/${caseNumber}/follow-ups`, { outcome: person.name, notes: visitNotes }],
    [agency.jember, `/v1/cases/${person.nik}/follow-ups`, { outcome: 'stable' }],
  ];
  for (const [by, path, badBody] of bad) {
    const response = await by.post(path, badBody, { 'Idempotency-Key': `pii-bad-${Math.random()}` });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    errorBodies.push(response.body);
  }
});

afterAll(async () => {
  await service?.stop();
});

describe('personal data', () => {
  it('is in the full view of one case, for an agency in scope', async () => {
    const view = await agency.jember.get(`/v1/cases/${caseNumber}`);
    expect(view.body.person).toMatchObject({ name: person.name, nik: person.nik });
    expect(view.body.address).toBe(address);
  });

  it('is masked in lists: initials and the last 4 NIK digits', async () => {
    const listed = await eventually(async () => {
      const response = await agency.jember.get('/v1/cases?ppksType=pemulung');
      const item = response.body.items.find((candidate: { caseNumber: string }) => candidate.caseNumber === caseNumber);
      expect(item?.steps.at(-1).outcome).toBe('stable');
      return item;
    });
    expect(listed.personMasked).toEqual({ initials: 'S. W.', nikLast4: '0002', sex: 'F', estimatedAge: 51 });
    expect(listed.person).toBeUndefined();
    expectNoPersonalData('the case list', listed);
  });

  it('is never quoted in error messages', () => {
    expect(errorBodies).toHaveLength(7);
    for (const body of errorBodies) expectNoPersonalData(`error ${JSON.stringify(body).slice(0, 80)}`, body);
  });

  it('is never in the logs', () => {
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain(caseNumber); // the log is there, and it is about this case
    expectNoPersonalData('the log', log);
  });

  it('is never in search attributes, memo, static summary or current details', async () => {
    const handle = service.temporal.workflow.getHandle(caseWorkflowId(caseNumber));
    const described = await handle.describe();
    expectNoPersonalData('search attributes', described.typedSearchAttributes.getAll());
    expectNoPersonalData('memo', described.memo ?? {});
    expectNoPersonalData('static summary and details', [await described.staticSummary(), await described.staticDetails()]);
    const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('follow-up');
    expectNoPersonalData('current details', metadata.currentDetails);
  });

  it('is never in the case index, alerts, audit trail or access log', async () => {
    for (const table of ['cases', 'alerts', 'audit_log', 'access_log']) {
      const { rows } = await service.pool.query(`SELECT * FROM ${table} WHERE case_number = $1`, [caseNumber]);
      expectNoPersonalData(`table ${table}`, rows);
    }
  });
});

describe('hashes standing for a request', () => {
  it('are keyed in Update IDs, audit rows and intake records: the hash of a guessed NIK finds nothing', async () => {
    // What an outsider would compute from a guessed NIK, were the hash not keyed.
    const unkeyed = createHash('sha256')
      .update(JSON.stringify(['identification', caseNumber, canonical({ outcome: 'matched', nik: person.nik })]))
      .digest('hex');
    const { rows: audit } = await service.pool.query<{ request_hash: string; entry_key: string }>(
      'SELECT request_hash, entry_key FROM audit_log WHERE case_number = $1',
      [caseNumber],
    );
    const { rows: intakes } = await service.pool.query<{ request_hash: string }>(
      'SELECT request_hash FROM intake_requests WHERE case_number = $1',
      [caseNumber],
    );
    const history = JSON.stringify((await service.temporal.workflow.getHandle(caseWorkflowId(caseNumber)).fetchHistory()).events);
    const keyId = hashKeyring().currentKeyId;
    for (const row of [...audit, ...intakes]) expect(row.request_hash).toMatch(new RegExp(`^${keyId}\\.[\\w-]{43}$`));
    const identification = requestHash('identification', caseNumber, { outcome: 'matched', nik: person.nik }).current;
    expect(audit.map((row) => row.entry_key)).toEqual(expect.arrayContaining([expect.stringContaining(identification)]));
    expect(history).toContain(`/${identification}`);
    expect(JSON.stringify([audit, intakes]) + history).not.toContain(unkeyed);
  });
});

describe('the read-access log', () => {
  it('records every response carrying the case, with who, when, which endpoint and request', async () => {
    const read = await agency.jember.get(`/v1/cases/${caseNumber}`);
    const requestId = read.headers.get('x-request-id');
    expect(requestId).toMatch(/.{8,}/);
    await agency.jember.get('/v1/cases?ppksType=pemulung'); // masked: not a disclosure

    const log = await agency.auditor.get(`/v1/cases/${caseNumber}/access-log`);
    expect(log.status).toBe(200);
    const entries = log.body.items as { role: string; endpoint: string; requestId: string; at: string }[];
    expect(entries.map((entry) => `${entry.role} ${entry.endpoint}`)).toEqual([
      'satpol_pp POST /v1/cases',
      'dukcapil POST /v1/cases/{caseNumber}/identification',
      'dinsos_prov POST /v1/cases/{caseNumber}/address',
      'dinsos_prov POST /v1/cases/{caseNumber}/repatriation/departure',
      'dinsos_kabkota POST /v1/cases/{caseNumber}/repatriation/handover',
      'dinsos_kabkota POST /v1/cases/{caseNumber}/follow-ups',
      'dinsos_kabkota GET /v1/cases/{caseNumber}', // the first test's read
      'dinsos_kabkota GET /v1/cases/{caseNumber}',
    ]);
    expect(entries.at(-1)).toMatchObject({ requestId, at: expect.stringMatching(/^\d{4}-/) });
    expect((await agency.supervisor.get(`/v1/cases/${caseNumber}/access-log`)).status).toBe(403);
  });

  it('records nothing when the read is refused', async () => {
    const before = await service.pool.query('SELECT count(*)::int AS n FROM access_log WHERE case_number = $1', [caseNumber]);
    const outsider = agencyClient(
      service.baseUrl,
      await service.keyFor({ name: 'Satpol PP Pacitan', role: 'satpol_pp', regionCode: '35.01' }),
    );
    expect((await outsider.get(`/v1/cases/${caseNumber}`)).status).toBe(403);
    const after = await service.pool.query('SELECT count(*)::int AS n FROM access_log WHERE case_number = $1', [caseNumber]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
