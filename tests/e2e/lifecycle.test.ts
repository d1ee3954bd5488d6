/**
 * People through the whole procedure, against the dev server, PostgreSQL and HTTP: one without
 * a NIK placed in a UPT, one whose UPT stay outlives a workflow run, one with a NIK repatriated home.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCivilRegistry } from '../../activities/civil-registry/registry.js';
import { caseWorkflowId } from '../../workflows/messages.js';
import { recordHistory } from '../support/record-history.js';
import { agencyClient, eventually, startService, type RunningService } from '../support/service.js';

let service: RunningService;
let agency: Record<'satpol' | 'dukcapil' | 'prov' | 'surabaya' | 'jember' | 'upt' | 'supervisor', ReturnType<typeof agencyClient>>;

beforeAll(async () => {
  service = await startService();
  const as = async (name: string, role: string, scope: { regionCode?: string; uptCode?: string } = {}) =>
    agencyClient(service.baseUrl, await service.keyFor({ name, role, ...scope }));
  agency = {
    satpol: await as('Satpol PP Surabaya', 'satpol_pp', { regionCode: '35.78' }),
    dukcapil: await as('Dispendukcapil', 'dukcapil'),
    prov: await as('Dinsos Jatim', 'dinsos_prov'),
    surabaya: await as('Dinsos Surabaya', 'dinsos_kabkota', { regionCode: '35.78' }),
    jember: await as('Dinsos Jember', 'dinsos_kabkota', { regionCode: '35.09' }),
    upt: await as('Balai PRS PMKS Sidoarjo', 'upt', { uptCode: 'balai_prs_pmks_sidoarjo' }),
    supervisor: await as('Supervisor', 'supervisor'),
  };
});

afterAll(async () => {
  await service?.stop();
});

const intake = (person: Record<string, unknown>, ppksType = 'gelandangan') => ({
  ppksType,
  foundAt: '2026-11-20T21:15:00+07:00',
  foundRegion: '35.78',
  foundPlace: 'Terminal Purabaya',
  person,
});

describe('a person without NIK', () => {
  it('goes from intake through UPT placement to closure, and frees the bed', async () => {
    const opened = await agency.satpol.post('/v1/cases', intake({ sex: 'M', estimatedAge: 55, description: 'kaos biru' }), {
      'Idempotency-Key': `placement-${Date.now()}`,
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', stage: 'identification', ownerRole: 'dukcapil', homeRegion: null, upt: null });
    expect(opened.body.sla).toMatchObject({ stage: 'identification', breached: false });
    expect(opened.body.sla.dueAt).toMatch(/\+07:00$/);
    const n = opened.body.caseNumber as string;
    expect(n).toMatch(/^3578-\d{4}-\d{6}$/);

    const identified = await agency.dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched', method: 'fingerprint' });
    expect(identified.status).toBe(200);
    expect(identified.body.stage).toBe('address_lookup');

    const notFound = await agency.surabaya.post(`/v1/cases/${n}/address`, { outcome: 'not_found' });
    expect(notFound.status).toBe(200);
    expect(notFound.body).toMatchObject({ stage: 'placement', upt: 'balai_prs_pmks_sidoarjo', ownerRole: 'upt' });
    expect(notFound.body.sla.stage).toBe('placement_admission');
    const beds = await service.pool.query('SELECT upt_code, status FROM bed_reservations WHERE case_number = $1', [n]);
    expect(beds.rows).toEqual([{ upt_code: 'balai_prs_pmks_sidoarjo', status: 'reserved' }]);

    const admitted = await agency.upt.post(`/v1/cases/${n}/placement/admission`, { admittedAt: '2026-11-21T10:00:00+07:00' });
    expect(admitted.status).toBe(200);
    expect(admitted.body).toMatchObject({ stage: 'follow_up', ownerRole: 'upt' });

    const stable = await agency.upt.post(`/v1/cases/${n}/follow-ups`, { outcome: 'stable', notes: 'makan baik' });
    expect(stable.body).toMatchObject({ stage: 'follow_up', status: 'open' });
    const closed = await agency.upt.post(`/v1/cases/${n}/follow-ups`, { outcome: 'independent' });
    expect(closed.body).toMatchObject({ stage: 'closed', status: 'closed' });
    expect(closed.body.steps.map((s: { outcome: string }) => s.outcome)).toEqual([
      'reported',
      'not_matched',
      'not_found',
      'bed_reserved',
      'admitted',
      'stable',
      'independent',
    ]);

    await eventually(async () => {
      const bed = await service.pool.query('SELECT status FROM bed_reservations WHERE case_number = $1', [n]);
      expect(bed.rows[0].status).toBe('released');
      const indexed = await service.pool.query('SELECT stage, status FROM cases WHERE case_number = $1', [n]);
      expect(indexed.rows[0]).toEqual({ stage: 'closed', status: 'closed' });
    });
    const view = await agency.supervisor.get(`/v1/cases/${n}`);
    expect(view.body.status).toBe('closed');
    await recordHistory(service, n, 'placement-to-closure');
  });
});

describe('a long UPT stay', () => {
  it('continues as new while visits go on, through the API, and ends correctly', async () => {
    const opened = await agency.satpol.post('/v1/cases', intake({ sex: 'M', estimatedAge: 45 }), {
      'Idempotency-Key': `long-stay-${Date.now()}`,
    });
    const n = opened.body.caseNumber as string;
    await agency.dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' });
    await agency.surabaya.post(`/v1/cases/${n}/address`, { outcome: 'not_found' });
    const admitted = await agency.upt.post(`/v1/cases/${n}/placement/admission`, {});
    expect(admitted.body.stage, JSON.stringify(admitted.body)).toBe('follow_up');

    const handle = service.temporal.workflow.getHandle(caseWorkflowId(n));
    const firstRun = (await handle.describe()).runId;
    let visits = 0;
    while ((await handle.describe()).runId === firstRun) {
      expect(visits, 'visits without a continue-as-new').toBeLessThan(100);
      const visit = await agency.upt.post(
        `/v1/cases/${n}/follow-ups`,
        { outcome: 'stable' },
        { 'Idempotency-Key': `visit-${n}-${visits}` },
      );
      expect(visit.status).toBe(200);
      visits++;
    }
    // The first visit again, answered by the new run from the hashes it carried over.
    const replayed = await agency.upt.post(`/v1/cases/${n}/follow-ups`, { outcome: 'stable' }, { 'Idempotency-Key': `visit-${n}-0` });
    expect(replayed.status).toBe(200);
    const closed = await agency.upt.post(`/v1/cases/${n}/follow-ups`, { outcome: 'independent' });
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'independent' });
    expect(closed.body.steps.filter((step: { outcome: string }) => step.outcome === 'stable')).toHaveLength(visits);

    const firstHistory = await service.temporal.workflow.getHandle(caseWorkflowId(n), firstRun).fetchHistory();
    expect(firstHistory.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    const audited = await service.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE case_number = $1 AND action = 'case.follow_up'`,
      [n],
    );
    expect(audited.rows[0].n).toBe(visits + 1);
    await recordHistory(service, n, 'long-stay-first-run', firstRun);
    await recordHistory(service, n, 'long-stay-continued-run');
  });
});

describe('a person with a NIK', () => {
  it('is found in the civil registry, repatriated, handed over and closed', async () => {
    const nik = '3509014505800001';
    await new PostgresCivilRegistry(service.pool).upsert(nik, { regionCode: '35.09', address: 'Jl. Mawar 1, Patrang' });
    const opened = await agency.satpol.post('/v1/cases', intake({ name: 'Siti', sex: 'F', estimatedAge: 46, nik }), {
      'Idempotency-Key': `repatriation-${Date.now()}`,
    });
    expect(opened.status).toBe(201);
    const n = opened.body.caseNumber as string;

    const identified = await agency.dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'matched', nik, method: 'face' });
    expect(identified.status).toBe(200);
    expect(identified.body).toMatchObject({ stage: 'repatriation', homeRegion: '35.09', ownerRole: 'dinsos_prov' });
    expect(identified.body.steps.at(-1)).toMatchObject({ outcome: 'found', by: 'system', details: { source: 'civil_registry' } });
    expect(identified.body.sla).toMatchObject({ stage: 'repatriation_departure' });

    // Supervisors see where the case is in the Temporal UI, without any personal data.
    const handle = service.temporal.workflow.getHandle(caseWorkflowId(n));
    const described = await handle.describe();
    const attributes = Object.fromEntries(described.typedSearchAttributes.getAll().map(({ key, value }) => [key.name, value]));
    expect(attributes).toMatchObject({
      PpksStage: 'repatriation',
      PpksType: 'gelandangan',
      FoundRegion: '35.78',
      HomeRegion: '35.09',
      OwnerRole: 'dinsos_prov',
      SlaBreached: false,
      EscalationLevel: 0,
      SlaDueAt: new Date(identified.body.sla.dueAt),
    });
    const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('departure home arranged by Dinsos Jatim');
    const summary = await described.staticSummary();
    expect(summary).toBe('PPKS gelandangan found in Kota Surabaya (35.78), reported by satpol_pp');
    for (const text of [JSON.stringify(attributes), metadata.currentDetails, summary]) {
      for (const personal of [nik, 'Siti', 'Mawar', 'Purabaya']) expect(text).not.toContain(personal);
    }

    const departed = await agency.prov.post(`/v1/cases/${n}/repatriation/departure`, { transport: 'bus' });
    expect(departed.body).toMatchObject({ stage: 'repatriation', ownerRole: 'dinsos_kabkota' });
    expect(departed.body.sla.stage).toBe('repatriation_handover');

    // Surabaya is not the home region: only Jember may confirm the handover.
    expect((await agency.surabaya.post(`/v1/cases/${n}/repatriation/handover`, { receivedBy: 'Budi' })).status).toBe(403);
    const received = await agency.jember.post(`/v1/cases/${n}/repatriation/handover`, { receivedBy: 'Budi (Dinsos Jember)' });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({ stage: 'follow_up', ownerRole: 'dinsos_kabkota' });

    const closing = { outcome: 'reunified' };
    const reunified = await agency.jember.post(`/v1/cases/${n}/follow-ups`, closing, { 'Idempotency-Key': `${n}-reunified` });
    expect(reunified.body).toMatchObject({ status: 'closed', stage: 'closed' });
    // The answer was lost: Jember sends it again. The closed case has no owner any more, yet the
    // replay of Jember's own step is answered; the same request from another agency is not.
    const replayed = await agency.jember.post(`/v1/cases/${n}/follow-ups`, closing, { 'Idempotency-Key': `${n}-reunified` });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual(reunified.body);
    expect((await agency.surabaya.post(`/v1/cases/${n}/follow-ups`, closing, { 'Idempotency-Key': `${n}-reunified` })).status).toBe(403);

    // The case index carries no personal data.
    const indexed = await eventually(async () => {
      const { rows } = await service.pool.query('SELECT view::text AS view, stage FROM cases WHERE case_number = $1', [n]);
      expect(rows[0].stage).toBe('closed');
      return rows[0].view as string;
    });
    for (const personal of [nik, 'Siti', 'Mawar', 'Budi', 'Purabaya']) expect(indexed).not.toContain(personal);
    await recordHistory(service, n, 'repatriation-to-closure');
  });
});

describe('Idempotency-Key', () => {
  it('replays an intake and a step without changing anything', async () => {
    const key = `replay-${Date.now()}`;
    const body = intake({ sex: 'unknown' });
    const first = await agency.satpol.post('/v1/cases', body, { 'Idempotency-Key': key });
    const again = await agency.satpol.post('/v1/cases', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const n = first.body.caseNumber;
    const count = await service.pool.query('SELECT count(*)::int AS n FROM intake_requests WHERE case_number = $1', [n]);
    expect(count.rows[0].n).toBe(1);

    const step = { outcome: 'not_possible' };
    const posted = await agency.dukcapil.post(`/v1/cases/${n}/identification`, step, { 'Idempotency-Key': `${key}-id` });
    const replayed = await agency.dukcapil.post(`/v1/cases/${n}/identification`, step, { 'Idempotency-Key': `${key}-id` });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual(posted.body);
    const view = await agency.supervisor.get(`/v1/cases/${n}`);
    expect(view.body.steps.filter((s: { stage: string }) => s.stage === 'identification')).toHaveLength(1);

    const reused = await agency.dukcapil.post(
      `/v1/cases/${n}/identification`,
      { outcome: 'not_matched' },
      { 'Idempotency-Key': `${key}-id` },
    );
    expect(reused.status).toBe(409);
    const otherIntake = await agency.satpol.post('/v1/cases', { ...body, notes: 'different' }, { 'Idempotency-Key': key });
    expect(otherIntake.status).toBe(409);
  });
});

describe('supervisors and lists', () => {
  it('lists cases by stage and region within scope, and lets a supervisor close a case', async () => {
    const key = `list-${Date.now()}`;
    const opened = await agency.satpol.post('/v1/cases', intake({ sex: 'M' }, 'pengemis'), { 'Idempotency-Key': key });
    const n = opened.body.caseNumber as string;
    const listed = await eventually(async () => {
      const page = await agency.surabaya.get('/v1/cases?stage=identification&ppksType=pengemis&region=35.78');
      expect(page.status).toBe(200);
      expect(page.body.items.map((item: { caseNumber: string }) => item.caseNumber)).toContain(n);
      return page.body;
    });
    expect(
      listed.items.every((item: { stage: string; ppksType: string }) => item.stage === 'identification' && item.ppksType === 'pengemis'),
    ).toBe(true);
    expect(listed.items[0].person).toBeUndefined();
    expect(
      (await agency.jember.get('/v1/cases?ppksType=pengemis')).body.items.map((i: { caseNumber: string }) => i.caseNumber),
    ).not.toContain(n);
    expect((await agency.jember.get(`/v1/cases/${n}`)).status).toBe(403);
    // A work list: the open cases whose step a role holds (at identification, DP3AK's; not Dinsos Jatim's).
    const waitingOn = async (role: string) =>
      (await agency.supervisor.get(`/v1/cases?status=open&ownerRole=${role}&ppksType=pengemis`)).body.items.map(
        (item: { caseNumber: string; status: string; ownerRole: string }) => [item.caseNumber, item.status, item.ownerRole],
      );
    expect(await waitingOn('dukcapil')).toContainEqual([n, 'open', 'dukcapil']);
    expect((await waitingOn('dukcapil')).every(([, status, owner]: string[]) => status === 'open' && owner === 'dukcapil')).toBe(true);
    expect((await waitingOn('dinsos_prov')).map(([caseNumber]: string[]) => caseNumber)).not.toContain(n);

    const closed = await agency.supervisor.post(`/v1/cases/${n}/close`, { reason: 'family came to collect him' });
    expect(closed.body).toMatchObject({ status: 'closed', stage: 'closed' });
    expect(closed.body.steps.at(-1)).toMatchObject({ outcome: 'closed_by_supervisor', remarks: 'family came to collect him' });
    expect((await agency.dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' })).status).toBe(409);
    // A late retry of the intake finds the closed case, while it may still be reopened and after its
    // workflow has ended; it never opens a new one.
    const handle = service.temporal.workflow.getHandle(caseWorkflowId(n));
    const { runId } = await handle.describe();
    const retried = await agency.satpol.post('/v1/cases', intake({ sex: 'M' }, 'pengemis'), { 'Idempotency-Key': key });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(opened.body);
    await handle.terminate('the reopening window is over'); // ends the run as its completion 30 days on would
    const late = await agency.satpol.post('/v1/cases', intake({ sex: 'M' }, 'pengemis'), { 'Idempotency-Key': key });
    expect(late.status).toBe(200);
    expect(late.body.caseNumber).toBe(n);
    expect(await handle.describe()).toMatchObject({ runId, status: { name: 'TERMINATED' } });
    await eventually(async () => {
      const page = await agency.supervisor.get('/v1/cases?stage=closed&ppksType=pengemis');
      expect(page.body.items.map((item: { caseNumber: string }) => item.caseNumber)).toContain(n);
    });
    const closedOnes = await agency.supervisor.get('/v1/cases?status=closed&ppksType=pengemis');
    expect(closedOnes.body.items.map((item: { caseNumber: string }) => item.caseNumber)).toContain(n);
    expect(
      (await agency.supervisor.get('/v1/cases?status=open&ppksType=pengemis')).body.items.map((i: { caseNumber: string }) => i.caseNumber),
    ).not.toContain(n);
    expect((await agency.supervisor.get('/v1/cases?ownerRole=kepala_dinas')).status).toBe(400);
  });
});
