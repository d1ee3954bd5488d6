/**
 * `GET /v1/stats`: time per stage, breach rates by stage, owning role and region, paused time,
 * by month. Real stays come from a case driven over HTTP; a month far in the past holds rows
 * written here, so the figures are exact while other test files run alongside.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, StageStay } from '../../domain/case-view.js';
import { agencyClient, eventually, startService, type RunningService } from '../support/service.js';

let service: RunningService;
let supervisor: ReturnType<typeof agencyClient>;

beforeAll(async () => {
  service = await startService();
  supervisor = agencyClient(service.baseUrl, await service.keyFor({ name: 'Stats supervisor', role: 'supervisor' }));
});

afterAll(async () => {
  await service?.stop();
});

/** A case in the index with the given stays only: the index is what the statistics read. */
async function indexCase(caseNumber: string, foundRegion: string, stays: StageStay[]): Promise<void> {
  const view = { caseNumber, stays };
  await service.pool.query(
    `INSERT INTO cases (case_number, revision, status, stage, ppks_type, found_region, opened_at, view)
     VALUES ($1, 1, 'closed', 'closed', 'pemulung', $2, $3, $4)`,
    [caseNumber, foundRegion, stays[0]!.enteredAt, JSON.stringify(view)],
  );
}

const stay = (stage: StageStay['stage'], enteredAt: string, hours: number, extra: Partial<StageStay> = {}): StageStay => ({
  stage,
  enteredAt,
  leftAt: new Date(new Date(enteredAt).getTime() + hours * 3_600_000).toISOString(),
  ownerRole: 'dukcapil',
  breached: false,
  pausedMs: 0,
  ...extra,
});

describe('GET /v1/stats', () => {
  it('aggregates time, breaches and paused time per month, stage, owner and region', async () => {
    const prefix = `2019-01-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    await indexCase(`${prefix}-1`, '35.78', [
      stay('identification', '2019-01-05T10:00:00+07:00', 10, { breached: true, pausedMs: 2 * 3_600_000 }),
    ]);
    await indexCase(`${prefix}-2`, '35.09', [stay('identification', '2019-01-20T10:00:00+07:00', 30, { ownerRole: 'dinsos_prov' })]);
    await indexCase(`${prefix}-3`, '35.78', [stay('identification', '2019-01-31T23:30:00+07:00', 2)]); // January in Jakarta, February in UTC
    try {
      const response = await supervisor.get('/v1/stats?from=2019-01&to=2019-01');
      expect(response.status).toBe(200);
      expect(response.body.stages).toEqual([
        {
          month: '2019-01',
          stage: 'identification',
          stays: 3,
          completed: 3,
          avgHours: 14,
          avgActiveHours: 13.33,
          pausedHours: 2,
          breached: 1,
          breachRate: 0.3333,
        },
      ]);
      expect(
        response.body.byOwnerRole.map((row: { ownerRole: string; stays: number; breached: number }) => [
          row.ownerRole,
          row.stays,
          row.breached,
        ]),
      ).toEqual([
        ['dinsos_prov', 1, 0],
        ['dukcapil', 2, 1],
      ]);
      expect(
        response.body.byFoundRegion.map((row: { foundRegion: string; breachRate: number }) => [row.foundRegion, row.breachRate]),
      ).toEqual([
        ['35.09', 0],
        ['35.78', 0.5],
      ]);
    } finally {
      await service.pool.query('DELETE FROM cases WHERE case_number LIKE $1', [`${prefix}-%`]);
    }
  });

  it('counts repatriations by month of handover, and UPT beds occupied by month', async () => {
    const prefix = `2018-05-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const upt = 'upt_rs_eks_kusta_tuban';
    const repatriation = (enteredAt: string, hours: number) => stay('repatriation', enteredAt, hours, { ownerRole: 'dinsos_prov' });
    const followUp = (enteredAt: string) => stay('follow_up', enteredAt, 1, { ownerRole: 'dinsos_kabkota' });
    await indexCase(`${prefix}-1`, '35.78', [repatriation('2018-05-02T10:00:00+07:00', 24), followUp('2018-05-03T10:00:00+07:00')]);
    // Handed over just after midnight on 1 June in Jakarta (still May in UTC).
    await indexCase(`${prefix}-2`, '35.78', [repatriation('2018-05-31T20:00:00+07:00', 4.5), followUp('2018-06-01T00:30:00+07:00')]);
    await indexCase(`${prefix}-3`, '35.78', [repatriation('2018-05-10T10:00:00+07:00', 5)]); // left without a handover: closed
    await service.pool.query(
      `INSERT INTO bed_reservations (case_number, upt_code, status, reserved_at, admitted_at, released_at) VALUES
         ($1, $4, 'released', '2018-05-01', '2018-05-02', '2018-06-10'),
         ($2, $4, 'released', '2018-05-03', '2018-05-04', '2018-05-20'),
         ($3, $4, 'released', '2018-05-05', NULL, '2018-05-06')`,
      [`${prefix}-b1`, `${prefix}-b2`, `${prefix}-b3`, upt],
    );
    try {
      const response = await supervisor.get('/v1/stats?from=2018-05&to=2018-06');
      expect(response.body.repatriationsByMonth).toEqual([
        { month: '2018-05', repatriations: 1 },
        { month: '2018-06', repatriations: 1 },
      ]);
      expect(response.body.occupancyByMonth).toEqual([
        { month: '2018-05', uptCode: upt, admitted: 2, released: 1, occupiedAtMonthEnd: 1 },
        { month: '2018-06', uptCode: upt, admitted: 0, released: 1, occupiedAtMonthEnd: 0 },
      ]);
    } finally {
      await service.pool.query('DELETE FROM cases WHERE case_number LIKE $1', [`${prefix}-%`]);
      await service.pool.query('DELETE FROM bed_reservations WHERE case_number LIKE $1', [`${prefix}-%`]);
    }
  });

  it('counts the stays a real case goes through, with its paused time', async () => {
    const satpol = agencyClient(service.baseUrl, await service.keyFor({ name: 'Stats Satpol', role: 'satpol_pp', regionCode: '35.78' }));
    const dukcapil = agencyClient(service.baseUrl, await service.keyFor({ name: 'Stats Dukcapil', role: 'dukcapil' }));
    const opened = await satpol.post(
      '/v1/cases',
      { ppksType: 'pemulung', foundAt: '2026-11-25T10:00:00+07:00', foundRegion: '35.78', person: { sex: 'F' } },
      { 'Idempotency-Key': randomUUID() },
    );
    const n = opened.body.caseNumber;
    await supervisor.post(`/v1/cases/${n}/pause`, { reason: 'hospital' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await supervisor.post(`/v1/cases/${n}/resume`, { reason: 'discharged' });
    const identified = (await dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' })).body as CaseView;
    expect(identified.stays).toEqual([
      expect.objectContaining({
        stage: 'identification',
        ownerRole: 'dukcapil',
        breached: false,
        pausedMs: expect.any(Number),
        leftAt: expect.any(String),
      }),
      expect.objectContaining({ stage: 'address_lookup', ownerRole: 'dinsos_prov', leftAt: null }),
    ]);
    expect(identified.stays![0]!.pausedMs).toBeGreaterThanOrEqual(250);
    const month = identified.stays![0]!.enteredAt.slice(0, 7);
    await eventually(async () => {
      const stats = await supervisor.get(`/v1/stats?from=${month}&to=${month}`);
      const identification = stats.body.stages.find((row: { stage: string }) => row.stage === 'identification');
      expect(identification.completed).toBeGreaterThanOrEqual(1); // hours are rounded to 2 decimals: its 0.3 s pause shows as 0
    });
  });

  it('names a bad month and refuses agencies without the grant', async () => {
    const bad = await supervisor.get('/v1/stats?from=2026-13');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.from');
    const upt = agencyClient(service.baseUrl, await service.keyFor({ name: 'Stats UPT', role: 'upt', uptCode: 'balai_prs_pmks_sidoarjo' }));
    expect((await upt.get('/v1/stats')).status).toBe(403);
  });
});
