/**
 * When every UPT serving the PPKS type is full, the case waits in placement, Dinsos Jatim gets
 * one alert in its inbox, and the case takes a bed as soon as one frees up.
 * Uses tuna_susila, which only UPT RSBKW Kediri serves (no other test touches it); its one bed
 * class (women, adult) is emptied and refilled here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agenciesFor, CASE_AGENCIES, openCase } from '../support/cases.js';
import { eventually, startService, type RunningService } from '../support/service.js';

const UPT = 'upt_rsbkw_kediri';
/** A woman found at night in Kota Kediri, of the one type only RSBKW Kediri takes. */
const KEDIRI_INTAKE = { ppksType: 'tuna_susila', foundAt: '2026-11-22T23:00:00+07:00', foundRegion: '35.71' };
let service: RunningService;

beforeAll(async () => {
  service = await startService();
});

afterAll(async () => {
  await service?.pool.query('UPDATE upt_capacity SET beds = 60 WHERE upt_code = $1', [UPT]);
  await service?.stop();
});

it('waits for a free bed with one alert, then reserves it', async () => {
  const { satpol, dukcapil, prov, kediri, otherUpt, otherRegion, supervisor } = await agenciesFor(service, 'Capacity test', {
    satpol: ['satpol_pp', { regionCode: '35.71' }],
    dukcapil: 'dukcapil',
    prov: 'dinsos_prov',
    kediri: ['upt', { uptCode: UPT }],
    otherUpt: ['upt', { uptCode: 'upt_pstw_magetan' }],
    otherRegion: ['dinsos_kabkota', { regionCode: '35.78' }],
    supervisor: 'supervisor',
  });
  await service.pool.query('UPDATE upt_capacity SET beds = 0 WHERE upt_code = $1', [UPT]);

  const intake = { ...KEDIRI_INTAKE, person: { sex: 'F', estimatedAge: 30 } };
  const n = (await openCase(satpol, intake, `capacity-${Date.now()}`)).caseNumber;
  await dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_possible' });
  const waiting = await prov.post(`/v1/cases/${n}/address`, { outcome: 'not_found' });
  expect(waiting.body).toMatchObject({ stage: 'placement', upt: null, ownerRole: 'dinsos_prov', sla: { stage: 'placement' } });
  expect(waiting.body.waitingFor).toContain('free UPT bed');
  const queued = (await prov.get('/v1/upts')).body.items.find((u: { code: string }) => u.code === UPT);
  expect(queued).toMatchObject({ capacity: 0, waiting: 1 });

  // The UPT sees the case only once it holds the case's bed; only supervisors close cases.
  expect((await kediri.post(`/v1/cases/${n}/placement/admission`, {})).status).toBe(403);
  expect((await prov.post(`/v1/cases/${n}/close`, { reason: 'x' })).status).toBe(403);

  const inbox = await prov.get(`/v1/alerts?caseNumber=${n}`);
  expect(inbox.body.items).toEqual([
    expect.objectContaining({ caseNumber: n, kind: 'no_bed', recipientRole: 'dinsos_prov', acknowledgedAt: null }),
  ]);
  expect((await otherRegion.get(`/v1/alerts?caseNumber=${n}`)).body.items).toEqual([]);

  const alertId = inbox.body.items[0].id;
  expect((await supervisor.post(`/v1/alerts/${alertId}/ack`, {})).status).toBe(403); // sees it, is not its recipient
  const acked = await prov.post(`/v1/alerts/${alertId}/ack`, { note: 'asking Kemensos for a place' });
  expect(acked.status).toBe(200);
  expect(acked.body.acknowledgedAt).not.toBeNull();
  expect((await prov.get(`/v1/alerts?caseNumber=${n}&status=open`)).body.items).toEqual([]);
  expect((await otherRegion.post(`/v1/alerts/${alertId}/ack`, {})).status).toBe(404);

  // Rechecks (PT1S in tests) raise no second alert while the UPT stays full.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const alerts = await service.pool.query('SELECT kind FROM alerts WHERE case_number = $1', [n]);
  expect(alerts.rows).toEqual([{ kind: 'no_bed' }]);

  await service.pool.query('UPDATE upt_capacity SET beds = 60 WHERE upt_code = $1', [UPT]);
  const placed = await eventually(async () => {
    const view = await prov.get(`/v1/cases/${n}`);
    expect(view.body).toMatchObject({ upt: UPT, ownerRole: 'upt', sla: { stage: 'placement_admission' } });
    return view.body;
  });
  expect(placed.steps.at(-1)).toMatchObject({ outcome: 'bed_reserved', details: { upt: UPT } });
  expect((await otherUpt.post(`/v1/cases/${n}/placement/admission`, {})).status).toBe(403);
  const admitted = await kediri.post(`/v1/cases/${n}/placement/admission`, {});
  expect(admitted.body.stage).toBe('follow_up');
  const upts = await prov.get('/v1/upts');
  expect(upts.body.items.find((u: { code: string }) => u.code === UPT)).toMatchObject({
    occupied: 1,
    reserved: 0,
    waiting: 0,
    capacityByClass: [{ sex: 'F', ageGroup: 'adult', beds: 60, occupied: 1, reserved: 0 }],
  });
});

it('stops waiting and raises nothing more once a supervisor closes a case waiting for a bed', async () => {
  const { satpol, dukcapil, prov, supervisor } = await agenciesFor(service, 'Capacity close test', {
    ...CASE_AGENCIES,
    satpol: ['satpol_pp', { regionCode: '35.71' }],
  });
  await service.pool.query('UPDATE upt_capacity SET beds = 0 WHERE upt_code = $1', [UPT]);
  const n = (await openCase(satpol, { ...KEDIRI_INTAKE, person: { sex: 'F' } }, `capacity-close-${Date.now()}`)).caseNumber;
  await dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' });
  expect((await prov.post(`/v1/cases/${n}/address`, { outcome: 'not_found' })).body.upt).toBeNull();
  const closed = await supervisor.post(`/v1/cases/${n}/close`, { reason: 'referred to Kemensos' });
  expect(closed.body).toMatchObject({ status: 'closed', outcome: 'closed_by_supervisor', upt: null });
  await service.pool.query('UPDATE upt_capacity SET beds = 60 WHERE upt_code = $1', [UPT]);
  // Longer than the bed recheck interval (PT1S in tests): a closed case never asks for a bed again.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const beds = await service.pool.query(`SELECT 1 FROM bed_reservations WHERE case_number = $1 AND status <> 'released'`, [n]);
  expect(beds.rowCount).toBe(0);
  const alerts = await service.pool.query('SELECT kind FROM alerts WHERE case_number = $1', [n]);
  expect(alerts.rows).toEqual([{ kind: 'no_bed' }]);
});
