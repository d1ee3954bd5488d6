/**
 * Repeat clients over HTTP, against the dev server and PostgreSQL: an earlier case of the same
 * person is offered as a possible match (by name variants, or by NIK), a supervisor confirms or
 * rejects it, and a confirmed earlier repatriation is flagged. Names and NIKs stay out of logs,
 * errors, the audit trail and the candidates' reasons.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CaseView } from '../../domain/case-view.js';
import { agenciesFor, CASE_AGENCIES, openCase, postStep } from '../support/cases.js';
import { agencyClient, eventually, startService, type RunningService } from '../support/service.js';

const logFile = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? '/tmp'}/ppks-repeat-clients-${process.pid}.log`;
  process.env.LOG_FILE = file;
  process.env.LOG_LEVEL = 'trace';
  return file;
});

const PPKS_TYPE = 'korban_bencana_sosial'; // used by no other test file
const NIK = '3578012304660007';
const personalValues = ['Soedjono', 'Sujono', 'sujono', 'Sulastri', 'Karsiman', NIK];

type Http = ReturnType<typeof agencyClient>;
let service: RunningService;
let satpol: Http, dukcapil: Http, prov: Http, jember: Http, supervisor: Http;
/** Soedjono, repatriated to Jember; Pak Sujono, the same man back; Sulastri, someone else. */
let earlier: string, returning: string, otherPerson: string;
/** Karsiman with his NIK at intake; a nameless man Dukcapil identifies by the same NIK. */
let withNik: string, identifiedByNik: string;
const errorBodies: unknown[] = [];

const open = async (person: Record<string, unknown>) =>
  (await openCase(satpol, { ppksType: PPKS_TYPE, foundAt: '2026-11-20T21:15:00+07:00', person })).caseNumber;

/** A decision on a possible match: `other` is the pair's other case. */
const decide = (by: Http, caseNumber: string, other: string, decision: 'confirmed' | 'rejected', reason: string) =>
  by.post(`/v1/cases/${caseNumber}/matches`, { caseNumber: other, decision, reason });

const view = async (caseNumber: string) =>
  (await supervisor.get(`/v1/cases/${caseNumber}`)).body as CaseView & {
    possibleMatches: { caseNumber: string; score: number; reasons: string[] }[];
    linkedCases: { caseNumber: string; repatriatedOn: string | null }[];
    repatriatedBefore: { caseNumber: string; on: string } | null;
  };

beforeAll(async () => {
  service = await startService();
  ({ satpol, dukcapil, prov, jember, supervisor } = await agenciesFor(service, 'Repeat clients', {
    ...CASE_AGENCIES,
    jember: ['dinsos_kabkota', { regionCode: '35.09' }],
  }));

  earlier = await open({ name: 'Soedjono', sex: 'M', estimatedAge: 60 });
  await postStep(dukcapil, earlier, 'identification', { outcome: 'not_matched', method: 'fingerprint' });
  await postStep(prov, earlier, 'address', { outcome: 'found', homeRegion: '35.09' });
  await postStep(prov, earlier, 'repatriation/departure', {});
  await postStep(jember, earlier, 'repatriation/handover', { receivedBy: 'Petugas Dinsos Jember' });
  otherPerson = await open({ name: 'Sulastri', sex: 'F', estimatedAge: 58 });
  returning = await open({ name: 'Pak Sujono', sex: 'M', estimatedAge: 62 });

  withNik = await open({ name: 'Karsiman', sex: 'M', estimatedAge: 45, nik: NIK });
  identifiedByNik = await open({ sex: 'M', estimatedAge: 50 });
  await postStep(dukcapil, identifiedByNik, 'identification', { outcome: 'matched', nik: NIK, method: 'face' });
});

afterAll(async () => {
  await service?.stop();
});

describe('repeat clients', () => {
  it('offers the earlier case of a man back under a newer spelling and a form of address', async () => {
    const { possibleMatches, linkedCases, repatriatedBefore } = await view(returning);
    const match = possibleMatches.find((candidate) => candidate.caseNumber === earlier);
    expect(match?.score).toBeGreaterThanOrEqual(0.7);
    expect(match?.score).toBeLessThan(1);
    expect(match?.reasons).toEqual(expect.arrayContaining(['same name', 'same sex', 'age band overlaps', 'found in the same kab/kota']));
    expect(possibleMatches.map((candidate) => candidate.caseNumber)).not.toContain(otherPerson);
    expect(linkedCases).toEqual([]);
    expect(repatriatedBefore).toBeNull();
  });

  it('offers a case with the same NIK with score 1, once Dukcapil identifies the person', async () => {
    const match = (await view(identifiedByNik)).possibleMatches.find((candidate) => candidate.caseNumber === withNik);
    expect(match).toMatchObject({ score: 1, reasons: expect.arrayContaining(['same NIK']) });
    const { rows } = await service.pool.query('SELECT nik_hash FROM person_register WHERE case_number = $1', [withNik]);
    expect(rows[0].nik_hash).toMatch(/^[0-9a-f]{64}$/); // a keyed hash, never the NIK
  });

  it('lets only a supervisor decide', async () => {
    const refused = await decide(prov, returning, earlier, 'confirmed', 'Face ID cocok');
    expect(refused.status).toBe(403);
    const unknownPair = await decide(supervisor, returning, otherPerson, 'confirmed', 'x');
    expect(unknownPair.status).toBe(404);
    const named = await decide(supervisor, returning, 'Soedjono', 'confirmed', 'x');
    expect(named.status).toBe(400);
    errorBodies.push(refused.body, unknownPair.body, named.body);
  });

  it('links a confirmed match on both cases and flags the earlier repatriation', async () => {
    const confirmed = await decide(supervisor, returning, earlier, 'confirmed', 'Face ID cocok');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ caseNumber: returning, otherCaseNumber: earlier, decision: 'confirmed' });

    const handedOver = (await view(earlier)).steps.find((s) => s.outcome === 'received')!.at.slice(0, 10);
    const now = await eventually(async () => {
      const current = await view(returning);
      expect(current.repatriatedBefore).toEqual({ caseNumber: earlier, on: handedOver });
      return current;
    });
    expect(now.linkedCases).toEqual([{ caseNumber: earlier, repatriatedOn: handedOver }]);
    expect(now.possibleMatches.map((candidate) => candidate.caseNumber)).not.toContain(earlier);
    const before = await view(earlier);
    expect(before.linkedCases).toEqual([{ caseNumber: returning, repatriatedOn: null }]);
    expect(before.repatriatedBefore).toBeNull();

    const again = await decide(supervisor, earlier, returning, 'rejected', 'x');
    expect(again.status).toBe(409);
    const audit = await supervisor.get(`/v1/cases/${returning}/audit`);
    expect(audit.body.items.filter((entry: { action: string }) => entry.action === 'case.match')).toHaveLength(1);
  });

  it('shows a reader only the other cases its role may read', async () => {
    // A probe: Satpol PP Pacitan reports a man with Karsiman's NIK to learn whether Surabaya has a case.
    const pacitan = agencyClient(
      service.baseUrl,
      await service.keyFor({ name: 'Satpol PP Pacitan', role: 'satpol_pp', regionCode: '35.01' }),
    );
    const body = { ppksType: PPKS_TYPE, foundAt: '2026-11-21T08:00:00+07:00', foundRegion: '35.01', person: { sex: 'M', nik: NIK } };
    const probe = (await pacitan.post('/v1/cases', body, { 'Idempotency-Key': randomUUID() })).body.caseNumber as string;
    const supervisorSees = await eventually(async () => {
      const matches = (await view(probe)).possibleMatches.map((candidate) => candidate.caseNumber);
      expect(matches).toContain(withNik);
      return matches;
    });
    const pacitanSees = (await pacitan.get(`/v1/cases/${probe}`)).body;
    expect(pacitanSees.possibleMatches).toEqual([]);
    expect(supervisorSees.length).toBeGreaterThan(0);

    // Dinsos Jember reads the earlier case (home in Jember), not the later one found in Surabaya.
    const fromJember = (await jember.get(`/v1/cases/${earlier}`)).body;
    expect(fromJember.linkedCases).toEqual([]);
    expect((await view(earlier)).linkedCases.map((linked) => linked.caseNumber)).toEqual([returning]);
  });

  it('drops a rejected match from the possible matches without linking', async () => {
    const rejected = await decide(supervisor, identifiedByNik, withNik, 'rejected', 'kembar');
    expect(rejected.status).toBe(200);
    const current = await view(identifiedByNik);
    expect(current.possibleMatches.map((candidate) => candidate.caseNumber)).not.toContain(withNik);
    expect(current.linkedCases).toEqual([]);
  });

  it('keeps names and NIKs out of logs, errors, reasons, the audit trail and the case index', async () => {
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain(returning);
    const { rows: matches } = await service.pool.query('SELECT score, reasons FROM case_matches');
    const { rows: audit } = await service.pool.query("SELECT * FROM audit_log WHERE action = 'case.match'");
    const { rows: index } = await service.pool.query('SELECT * FROM cases WHERE ppks_type = $1', [PPKS_TYPE]);
    for (const [where, content] of Object.entries({ log, errors: errorBodies, matches, audit, index })) {
      const text = typeof content === 'string' ? content : JSON.stringify(content);
      for (const value of personalValues) expect(text.includes(value), `${where} contains "${value}"`).toBe(false);
    }
  });
});
