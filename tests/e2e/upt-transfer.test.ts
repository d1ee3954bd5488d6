/**
 * Moving a person's UPT place to another UPT: the bed moves when the other UPT takes the case and
 * has a bed of its class; otherwise the request is refused (409), recorded, and the place kept.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CaseView } from '../../domain/case-view.js';
import { type AgencyScope, agencyClient, startService, type RunningService } from '../support/service.js';

const PPKS_TYPE = 'pmbs'; // served by no seeded UPT: only this file's two
const FIRST = `transfer_a_${process.pid}`;
const SECOND = `transfer_b_${process.pid}`;

let service: RunningService;
let agency: Record<'satpol' | 'dukcapil' | 'prov' | 'supervisor', ReturnType<typeof agencyClient>>;
let upt: ReturnType<typeof agencyClient>;

beforeAll(async () => {
  service = await startService();
  for (const [code, region] of [
    [FIRST, '35.78'],
    [SECOND, '35.09'],
  ] as const) {
    await service.pool.query(
      `INSERT INTO upts (code, name, city, region_code, capacity, capacity_reported) VALUES ($1, 'Transfer test UPT', 'x', $2, 1, true)`,
      [code, region],
    );
    await service.pool.query('INSERT INTO upt_serves (upt_code, ppks_type) VALUES ($1, $2)', [code, PPKS_TYPE]);
    await service.pool.query(`INSERT INTO upt_capacity (upt_code, sex, age_group, beds) VALUES ($1, 'M', 'adult', 1)`, [code]);
  }
  const as = (role: string, scope: AgencyScope = {}) => service.clientFor(`Transfer ${role}`, role, scope);
  agency = {
    satpol: await as('satpol_pp', { regionCode: '35.78' }),
    dukcapil: await as('dukcapil'),
    prov: await as('dinsos_prov'),
    supervisor: await as('supervisor'),
  };
  upt = await as('upt', { uptCode: FIRST });
});

// The two UPTs stay (an agency refers to one): they take only this file's PPKS type, and the test database is new each run.
afterAll(async () => {
  await service?.stop();
});

async function placedCase(): Promise<string> {
  const opened = await agency.satpol.post(
    '/v1/cases',
    {
      ppksType: PPKS_TYPE,
      foundAt: '2026-11-25T10:00:00+07:00',
      foundRegion: '35.78',
      person: { sex: 'M', estimatedAge: 30 },
    },
    { 'Idempotency-Key': randomUUID() },
  );
  const n = opened.body.caseNumber;
  await agency.dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' });
  const placed = (await agency.prov.post(`/v1/cases/${n}/address`, { outcome: 'not_found' })).body as CaseView;
  expect(placed.upt).toBe(FIRST); // in the found region
  return n;
}

const bedOf = async (n: string) =>
  (await service.pool.query('SELECT upt_code, status FROM bed_reservations WHERE case_number = $1', [n])).rows[0];

it('moves a resident to a UPT with a free bed of their class, and refuses one without', async () => {
  const n = await placedCase();
  expect((await upt.post(`/v1/cases/${n}/placement/admission`, {})).body.stage).toBe('follow_up');

  const moved = await agency.prov.post(`/v1/cases/${n}/placement/transfer`, { toUpt: SECOND, reason: 'closer to the family in Jember' });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ upt: SECOND, stage: 'follow_up' });
  expect(moved.body.steps.at(-1)).toMatchObject({ outcome: 'transferred', details: { fromUpt: FIRST, toUpt: SECOND } });
  expect(await bedOf(n)).toEqual({ upt_code: SECOND, status: 'admitted' });

  // The first UPT's bed is free again: a second person gets it; then nobody can move into it.
  const other = await placedCase();
  const refused = await agency.prov.post(`/v1/cases/${n}/placement/transfer`, { toUpt: FIRST, reason: 'back again' });
  expect(refused.status).toBe(409);
  expect(refused.body.detail).toContain('no free bed');
  const after = (await agency.supervisor.get(`/v1/cases/${n}`)).body as CaseView;
  expect(after.upt).toBe(SECOND);
  expect(after.steps.at(-1)).toMatchObject({ outcome: 'transfer_refused' });
  expect(await bedOf(other)).toEqual({ upt_code: FIRST, status: 'reserved' });

  const wrongType = await agency.prov.post(`/v1/cases/${n}/placement/transfer`, { toUpt: 'upt_pstw_jember', reason: 'x' });
  expect(wrongType.status).toBe(409);
  const trail = await agency.supervisor.get(`/v1/cases/${n}/audit`);
  expect(trail.body.items.filter((entry: { action: string }) => entry.action === 'case.transfer')).toHaveLength(3);
  expect((await agency.dukcapil.post(`/v1/cases/${n}/placement/transfer`, { toUpt: FIRST, reason: 'x' })).status).toBe(403);
});

it("answers a UPT's replayed admission with the case as it was then, not as it is after the transfer and closure", async () => {
  await service.pool.query(`UPDATE upt_capacity SET beds = beds + 1 WHERE upt_code = ANY($1)`, [[FIRST, SECOND]]);
  const n = await placedCase();
  const key = randomUUID();
  const admitted = await upt.post(`/v1/cases/${n}/placement/admission`, {}, { 'Idempotency-Key': key });
  expect(admitted.status).toBe(200);
  expect((await agency.supervisor.post(`/v1/cases/${n}/placement/transfer`, { toUpt: SECOND, reason: 'nearer home' })).status).toBe(200);
  const closure = 'ditutup: keluarga menjemput di Jember';
  expect((await agency.supervisor.post(`/v1/cases/${n}/close`, { reason: closure })).status).toBe(200);

  const replayed = await upt.post(`/v1/cases/${n}/placement/admission`, {}, { 'Idempotency-Key': key });
  expect(replayed.status).toBe(200);
  expect(replayed.body).toEqual(admitted.body);
  expect(JSON.stringify(replayed.body)).not.toContain(closure);
  // Without that key, the first UPT has lost the case.
  expect((await upt.post(`/v1/cases/${n}/placement/admission`, {})).status).toBe(403);
});

it('asks a UPT to send its closing follow-up again, not 403, while the case has accepted it and not yet answered', async () => {
  await service.pool.query(`UPDATE upt_capacity SET beds = beds + 1 WHERE upt_code = $1`, [FIRST]);
  const n = await placedCase();
  expect((await upt.post(`/v1/cases/${n}/placement/admission`, {})).status).toBe(200);
  // Hold the case's index row: the follow-up is accepted and audited, but its answer waits on the index.
  const holder = await service.pool.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM cases WHERE case_number = $1 FOR NO KEY UPDATE', [n]);
    const key = randomUUID();
    const first = upt.post(`/v1/cases/${n}/follow-ups`, { outcome: 'independent' }, { 'Idempotency-Key': key });
    const audited = async () =>
      (await service.pool.query(`SELECT 1 FROM audit_log WHERE case_number = $1 AND action = 'case.follow_up'`, [n])).rowCount === 1;
    while (!(await audited())) await new Promise((resolve) => setTimeout(resolve, 100));

    // The case is closed (so outside the UPT's scope), and the step's answer is not there yet.
    const retry = await upt.post(`/v1/cases/${n}/follow-ups`, { outcome: 'independent' }, { 'Idempotency-Key': key });
    expect(retry.status).toBe(503);
    expect(retry.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(retry.body.detail).toContain('still being processed');

    await holder.query('COMMIT');
    const answered = await first;
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'closed', outcome: 'independent' });
    const again = await upt.post(`/v1/cases/${n}/follow-ups`, { outcome: 'independent' }, { 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(answered.body);
  } finally {
    await holder.query('ROLLBACK').catch(() => undefined);
    holder.release();
  }
});
