/**
 * Working-time calendars end to end: a supervisor adds and removes a holiday and changes a role's
 * working hours over HTTP, and the SLA clock activity (as the worker runs it) counts with them at
 * once. Only supervisors may change them, bad input is a 400 naming each field, and every change
 * is in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { auditEntries, supervisorFor } from '../support/cases.js';
import { type AgencyClient, startService, type RunningService } from '../support/service.js';

// Dates no other test file uses, so that files running alongside are not disturbed.
const TUESDAY = '2030-06-04';
const WEDNESDAY = '2030-06-05';
const THURSDAY = '2030-06-06';

let service: RunningService;
let supervisor: AgencyClient;
let supervisorId: string;
let prov: AgencyClient;
let planSlaClock: ReturnType<typeof createActivities>['planSlaClock'];

beforeAll(async () => {
  service = await startService();
  ({ client: supervisor, agencyId: supervisorId } = await supervisorFor(service, 'Calendar supervisor'));
  prov = await service.clientFor('Calendar Dinsos Jatim', 'dinsos_prov');
  ({ planSlaClock } = createActivities(service.pool, { temporal: service.temporal, taskQueue: service.taskQueue }));
});

afterAll(async () => {
  await service?.stop();
});

/** When a repatriation departure entered at `enteredAt` is due, for the step's owner. */
const departureDue = async (enteredAt: string, ownerRole?: 'satpol_pp' | 'dinsos_prov' | 'auditor') =>
  (await planSlaClock({ step: 'repatriation_departure', stageEnteredAt: enteredAt, caseOpenedAt: enteredAt, ownerRole })).dueAt;

const auditOf = (entryKeyPrefix: string) => auditEntries(service.pool, entryKeyPrefix);

describe('holidays', () => {
  it('are skipped by working-day SLAs as soon as a supervisor adds one, and counted again once removed', async () => {
    const policy = (await supervisor.get('/v1/sla-policies')).body.items.find((p: { step: string }) => p.step === 'repatriation_departure');
    expect(policy).toMatchObject({ duration: 'P1D', calendar: 'working_days' });
    expect(await departureDue(`${TUESDAY}T10:00:00+07:00`)).toBe(`${WEDNESDAY}T10:00:00+07:00`);

    const added = await supervisor.put(`/v1/holidays/${WEDNESDAY}`, {
      name: 'Libur uji',
      kind: 'national_holiday',
      legalBasis: 'Keppres uji',
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({
      date: WEDNESDAY,
      kind: 'national_holiday',
      legalBasis: 'Keppres uji',
      version: 1,
      updatedBy: supervisorId,
    });
    expect(added.body.updatedAt).toMatch(/\+07:00$/);
    const listed = await prov.get('/v1/holidays?year=2030');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((holiday: { date: string }) => holiday.date)).toEqual([WEDNESDAY]);
    expect(await departureDue(`${TUESDAY}T10:00:00+07:00`)).toBe(`${THURSDAY}T10:00:00+07:00`);

    expect((await supervisor.raw('DELETE', `/v1/holidays/${WEDNESDAY}`)).status).toBe(204);
    expect((await supervisor.raw('DELETE', `/v1/holidays/${WEDNESDAY}`)).status).toBe(404);
    expect((await prov.get('/v1/holidays?year=2030')).body.items).toEqual([]);
    expect(await departureDue(`${TUESDAY}T10:00:00+07:00`)).toBe(`${WEDNESDAY}T10:00:00+07:00`);

    expect(await auditOf(`holiday/${WEDNESDAY}/`)).toEqual([
      { action: 'holiday.change', agency_id: supervisorId, details: { date: WEDNESDAY, kind: 'national_holiday', version: 1 } },
      { action: 'holiday.remove', agency_id: supervisorId, details: { date: WEDNESDAY, version: 2 } },
    ]);
  });

  it('come seeded with the SKB 3 Menteri days of 2026 and 2027', async () => {
    const year2026 = await prov.get('/v1/holidays?year=2026');
    const kinds = year2026.body.items.map((holiday: { kind: string }) => holiday.kind);
    expect([
      kinds.filter((kind: string) => kind === 'national_holiday').length,
      kinds.filter((kind: string) => kind === 'cuti_bersama').length,
    ]).toEqual([17, 8]);
    expect(year2026.body.items.find((holiday: { date: string }) => holiday.date === '2026-08-17')).toMatchObject({
      name: 'Proklamasi Kemerdekaan',
      kind: 'national_holiday',
      legalBasis: expect.stringContaining('Nomor 1497 Tahun 2025'),
    });
    expect((await prov.get('/v1/holidays?year=2027')).body.items).toHaveLength(26);
  });
});

describe('working hours', () => {
  it("are the owner role's: Satpol PP round the clock, offices Monday to Friday 08:00-16:00 without holidays", async () => {
    const hours = (await prov.get('/v1/working-hours')).body.items;
    expect(hours.find((row: { role: string }) => row.role === 'satpol_pp')).toMatchObject({ schedule: 'round_the_clock', days: null });
    expect(hours.find((row: { role: string }) => row.role === 'dinsos_prov')).toMatchObject({
      schedule: 'office_hours',
      days: [1, 2, 3, 4, 5],
      opens: '08:00',
      closes: '16:00',
    });
    // Friday 14 August 2026, 15:00: Monday 17 August is Proklamasi.
    expect(await departureDue('2026-08-14T15:00:00+07:00', 'dinsos_prov')).toBe('2026-08-18T15:00:00+07:00');
    expect(await departureDue('2026-08-14T15:00:00+07:00', 'satpol_pp')).toBe('2026-08-15T15:00:00+07:00');
  });

  it('count as a supervisor sets them', async () => {
    // The auditor never owns a step: changing its hours disturbs no other test.
    const changed = await supervisor.put('/v1/working-hours/auditor', {
      schedule: 'office_hours',
      days: [1, 2, 3, 4, 5, 6],
      opens: '07:00',
      closes: '19:00',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      role: 'auditor',
      schedule: 'office_hours',
      days: [1, 2, 3, 4, 5, 6],
      opens: '07:00',
      closes: '19:00',
      updatedBy: supervisorId,
    });
    // Saturday 10:00 now counts: twelve working hours on Saturday, and Monday 10:00 closes the day.
    expect(await departureDue('2026-11-28T10:00:00+07:00', 'auditor')).toBe('2026-11-30T10:00:00+07:00');

    const restored = await supervisor.put('/v1/working-hours/auditor', {
      schedule: 'office_hours',
      days: [1, 2, 3, 4, 5],
      opens: '08:00',
      closes: '16:00',
    });
    expect(restored.body.version).toBe(changed.body.version + 1);
    expect(await departureDue('2026-11-28T10:00:00+07:00', 'auditor')).toBe('2026-11-30T16:00:00+07:00');
    expect((await auditOf('working-hours/auditor/')).map((row) => [row.action, row.details.version])).toEqual([
      ['working_hours.change', changed.body.version],
      ['working_hours.change', restored.body.version],
    ]);
  });
});

describe('changes', () => {
  it('are refused to every role but the supervisor, and nothing is written', async () => {
    const holiday = { name: 'Libur uji', kind: 'cuti_bersama', legalBasis: 'Keppres uji' };
    expect((await prov.put(`/v1/holidays/${THURSDAY}`, holiday)).status).toBe(403);
    expect((await prov.raw('DELETE', '/v1/holidays/2026-08-17')).status).toBe(403);
    expect((await prov.put('/v1/working-hours/dinsos_prov', { schedule: 'round_the_clock' })).status).toBe(403);
    const dates = async (year: number) => (await prov.get(`/v1/holidays?year=${year}`)).body.items.map((h: { date: string }) => h.date);
    expect(await dates(2030)).not.toContain(THURSDAY);
    expect(await dates(2026)).toContain('2026-08-17');
    expect(await auditOf(`holiday/${THURSDAY}/`)).toEqual([]);
  });

  it('with bad input are a 400 naming each field', async () => {
    const fields = (response: { status: number; body: { errors?: { path: string }[] } }) => [
      response.status,
      response.body.errors?.map((e) => e.path),
    ];
    expect(fields(await supervisor.put('/v1/holidays/2030-02-30', { name: 'x', kind: 'cuti_bersama', legalBasis: 'y' }))).toEqual([
      400,
      ['path'],
    ]);
    expect(fields(await supervisor.put(`/v1/holidays/${THURSDAY}`, { name: '', kind: 'libur' }))).toEqual([
      400,
      ['name', 'kind', 'legalBasis'],
    ]);
    expect(fields(await supervisor.get('/v1/holidays?year=26'))).toEqual([400, ['query.year']]);
    expect(
      fields(
        await supervisor.put('/v1/working-hours/auditor', { schedule: 'office_hours', days: [1, 1], opens: '16:00', closes: '08:00' }),
      ),
    ).toEqual([400, ['days', 'closes']]);
    expect(
      fields(await supervisor.put('/v1/working-hours/auditor', { schedule: 'office_hours', days: [0, 8], opens: '8:00', closes: '16:00' })),
    ).toEqual([400, ['days.0', 'days.1', 'opens']]);
    expect(fields(await supervisor.put('/v1/working-hours/satpol_pp', { schedule: 'round_the_clock', opens: '08:00' }))).toEqual([
      400,
      ['opens'],
    ]);
    expect(fields(await supervisor.put('/v1/working-hours/mayor', { schedule: 'round_the_clock' }))).toEqual([400, ['path']]);
    expect(await auditOf(`holiday/${THURSDAY}/`)).toEqual([]);
    expect((await prov.get('/v1/working-hours')).body.items.find((row: { role: string }) => row.role === 'satpol_pp').schedule).toBe(
      'round_the_clock',
    );
  });
});
