/**
 * The medical hold: a person flagged psychiatric or medical is first referred to an RSJ or
 * hospital by Dinkes, under the health SLAs; only after the discharge does identification start.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorkflowId } from '../../workflows/messages.js';
import { recordHistory } from '../support/record-history.js';
import { agenciesFor, auditActions } from '../support/cases.js';
import { type AgencyClient, eventually, startService, type RunningService } from '../support/service.js';

let service: RunningService;
let agency: Record<'satpol' | 'dukcapil' | 'dinkes' | 'supervisor', AgencyClient>;

beforeAll(async () => {
  service = await startService();
  agency = await agenciesFor(service, 'Medical hold', {
    satpol: ['satpol_pp', { regionCode: '35.78' }],
    dukcapil: 'dukcapil',
    dinkes: 'dinkes',
    supervisor: 'supervisor',
  });
});

afterAll(async () => {
  await service?.stop();
});

const intake = (needs: string[]) => ({
  ppksType: 'gelandangan',
  foundAt: '2026-11-25T10:00:00+07:00',
  foundRegion: '35.78',
  person: { sex: 'M', estimatedAge: 40 },
  needs,
});

describe('a person flagged psychiatric', () => {
  it('goes to an RSJ through Dinkes before identification', async () => {
    const opened = await agency.satpol.post('/v1/cases', intake(['psychiatric']), { 'Idempotency-Key': randomUUID() });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ stage: 'health', ownerRole: 'dinkes', sla: { stage: 'health_referral' } });
    const n = opened.body.caseNumber;
    const described = await service.temporal.workflow.getHandle(caseWorkflowId(n)).describe();
    expect(described.typedSearchAttributes.getAll().find(({ key }) => key.name === 'PpksStage')?.value).toBe('health');

    expect((await agency.dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' })).status).toBe(409);
    expect((await agency.dinkes.post(`/v1/cases/${n}/health/discharge`, {})).status).toBe(409); // not referred yet

    const referred = await agency.dinkes.post(`/v1/cases/${n}/health/referral`, { facilityType: 'rsj', facility: 'RSJ Menur Surabaya' });
    expect(referred.status).toBe(200);
    expect(referred.body).toMatchObject({ stage: 'health', sla: { stage: 'health_discharge' } });
    expect(referred.body.steps.at(-1)).toMatchObject({
      outcome: 'referred',
      details: { facilityType: 'rsj', facility: 'RSJ Menur Surabaya' },
    });

    const discharged = await agency.dinkes.post(`/v1/cases/${n}/health/discharge`, { notes: 'stabil' });
    expect(discharged.body).toMatchObject({ stage: 'identification', ownerRole: 'dukcapil' });
    expect(discharged.body.stays.map((stay: { stage: string }) => stay.stage)).toEqual(['health', 'identification']);
    expect((await agency.dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' })).status).toBe(200);

    expect(await auditActions(agency.supervisor, n)).toEqual([
      'case.intake',
      'case.health_referral',
      'case.health_discharge',
      'case.identification',
    ]);
    await eventually(async () => {
      const { rows } = await service.pool.query('SELECT stage FROM cases WHERE case_number = $1', [n]);
      expect(rows[0].stage).toBe('address_lookup');
    });
    await recordHistory(service, n, 'medical-hold');
  });

  it('is not held for a disability alone, and other roles may not post health steps', async () => {
    const opened = await agency.satpol.post('/v1/cases', intake(['disability']), { 'Idempotency-Key': randomUUID() });
    expect(opened.body.stage).toBe('identification');
    const held = await agency.satpol.post('/v1/cases', intake(['medical']), { 'Idempotency-Key': randomUUID() });
    expect(held.body.stage).toBe('health');
    expect(
      (
        await agency.dukcapil.post(`/v1/cases/${held.body.caseNumber}/health/referral`, {
          facilityType: 'hospital',
          facility: 'RSUD Dr. Soetomo',
        })
      ).status,
    ).toBe(403);
    const moved = await agency.supervisor.post(`/v1/cases/${held.body.caseNumber}/move-on`, { reason: 'treated on site by the puskesmas' });
    expect(moved.body.stage).toBe('identification');
  });
});
