/**
 * Supervisor overrides over HTTP against the dev server: pause and resume, SLA extension,
 * reassignment, moving on by exception and reopening. Each needs a reason, is checked against
 * the current stage, shows in the case steps and lands in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../domain/case-view.js';
import { agenciesFor, auditActions, CASE_AGENCIES, openCase, postStep } from '../support/cases.js';
import { type AgencyClient, startService, type RunningService } from '../support/service.js';

let service: RunningService;
let agency: Record<'satpol' | 'dukcapil' | 'prov' | 'jember' | 'supervisor', AgencyClient>;

beforeAll(async () => {
  service = await startService();
  agency = await agenciesFor(service, 'Overrides', { ...CASE_AGENCIES, jember: ['dinsos_kabkota', { regionCode: '35.09' }] });
});

afterAll(async () => {
  await service?.stop();
});

const newCase = async () => (await openCase(agency.satpol, { ppksType: 'pemulung' })).caseNumber;
const ms = (instant: string) => new Date(instant).getTime();
const outcomes = (view: CaseView) => view.steps.map((step) => step.outcome);

describe('pause and resume', () => {
  it('stops the clock while paused and leaves the paused time out of the SLA', async () => {
    const n = await newCase();
    const before = (await agency.supervisor.get(`/v1/cases/${n}`)).body as CaseView;
    const paused = await postStep(agency.supervisor, n, 'pause', { reason: 'waiting for the ship to Bawean' });
    expect(paused.sla!.pausedSince).toEqual(expect.any(String));
    expect((await agency.supervisor.post(`/v1/cases/${n}/pause`, { reason: 'again' })).status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const resumed = await postStep(agency.supervisor, n, 'resume', { reason: 'the ship sailed' });
    expect(resumed.sla!.pausedSince).toBeNull();
    expect(resumed.sla!.pausedMs).toBeGreaterThanOrEqual(1400);
    expect(resumed.slaPausedMs).toBe(resumed.sla!.pausedMs);
    // The due time moved out by exactly the paused time.
    expect(ms(resumed.sla!.dueAt) - ms(before.sla!.dueAt)).toBeGreaterThanOrEqual(1000);
    expect(Math.abs(ms(resumed.sla!.dueAt) - ms(before.sla!.dueAt) - resumed.sla!.pausedMs!)).toBeLessThan(1000);
    expect(outcomes(resumed).slice(-2)).toEqual(['sla_paused', 'sla_resumed']);
    expect((await agency.supervisor.post(`/v1/cases/${n}/resume`, { reason: 'again' })).status).toBe(409);
  });

  it('needs a reason and a supervisor', async () => {
    const n = await newCase();
    const missing = await agency.supervisor.post(`/v1/cases/${n}/pause`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    expect((await agency.prov.post(`/v1/cases/${n}/pause`, { reason: 'x' })).status).toBe(403);
  });
});

describe('SLA extension', () => {
  it('moves the due time by the extension, and refuses months or nothing', async () => {
    const n = await newCase();
    const before = (await agency.supervisor.get(`/v1/cases/${n}`)).body as CaseView;
    const extended = await postStep(agency.supervisor, n, 'sla-extensions', { extendBy: 'PT2H', reason: 'Dukcapil system down' });
    expect(ms(extended.sla!.dueAt) - ms(before.sla!.dueAt)).toBe(2 * 3_600_000);
    expect(extended.steps.at(-1)).toMatchObject({ outcome: 'sla_extended', details: { step: 'identification', extendBy: 'PT2H' } });
    for (const extendBy of ['P1M', 'PT0S', 'soon']) {
      const refused = await agency.supervisor.post(`/v1/cases/${n}/sla-extensions`, { extendBy, reason: 'x' });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].path).toBe('extendBy');
    }
  });
});

describe('reassignment, moving on and reopening', () => {
  it('hands a stalled handover to Dinsos Jatim, who may then post it', async () => {
    const n = await newCase();
    await postStep(agency.supervisor, n, 'move-on', { reason: 'Dukcapil cannot read fingerprints today' });
    await postStep(agency.prov, n, 'address', { outcome: 'found', homeRegion: '35.09' });
    const departed = await postStep(agency.prov, n, 'repatriation/departure', {});
    expect(departed.ownerRole).toBe('dinsos_kabkota');
    expect((await agency.prov.post(`/v1/cases/${n}/repatriation/handover`, { receivedBy: 'Petugas' })).status).toBe(403);

    const handed = await postStep(agency.supervisor, n, 'reassignments', { ownerRole: 'dinsos_prov', reason: 'Dinsos Jember unreachable' });
    expect(handed).toMatchObject({ ownerRole: 'dinsos_prov', waitingFor: expect.stringContaining('handed to dinsos_prov') });
    const again = await agency.supervisor.post(`/v1/cases/${n}/reassignments`, { ownerRole: 'dinsos_prov', reason: 'x' });
    expect(again.status).toBe(409);
    const received = await postStep(agency.prov, n, 'repatriation/handover', { receivedBy: 'Petugas Jatim' });
    expect(received.stage).toBe('follow_up');
    expect(outcomes(received)).toEqual(['reported', 'moved_on_by_exception', 'found', 'departed', 'reassigned', 'received']);
  });

  it('moves a case on without the pending step, and only when one is pending', async () => {
    const n = await newCase();
    // A home region is for address lookups only.
    expect((await agency.supervisor.post(`/v1/cases/${n}/move-on`, { homeRegion: '35.09', reason: 'x' })).status).toBe(409);
    const moved = await postStep(agency.supervisor, n, 'move-on', { reason: 'Dukcapil cannot read fingerprints today' });
    expect(moved).toMatchObject({ stage: 'address_lookup', homeRegion: null });
    const traced = await postStep(agency.supervisor, n, 'move-on', { homeRegion: '35.09', reason: 'family traced by phone' });
    expect(traced).toMatchObject({ stage: 'repatriation', homeRegion: '35.09' });
    expect(traced.steps.at(-1)).toMatchObject({ outcome: 'moved_on_by_exception', details: { skipped: 'address_lookup' } });
  });

  it('reopens a closed case where it was closed, and audits every override', async () => {
    const n = await newCase();
    expect((await agency.supervisor.post(`/v1/cases/${n}/reopen`, { reason: 'not closed' })).status).toBe(409);
    await postStep(agency.supervisor, n, 'close', { reason: 'duplicate report' });
    expect((await agency.dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' })).status).toBe(409);
    const reopened = await postStep(agency.supervisor, n, 'reopen', { reason: 'not a duplicate after all' });
    expect(reopened).toMatchObject({ status: 'open', stage: 'identification', outcome: null, closedAt: null, ownerRole: 'dukcapil' });
    const identified = await postStep(agency.dukcapil, n, 'identification', { outcome: 'not_matched' });
    expect(identified.stage).toBe('address_lookup');
    expect(await auditActions(agency.supervisor, n)).toEqual(['case.intake', 'case.close', 'case.reopen', 'case.identification']);
  });
});

describe('rolling a policy out to running cases', () => {
  it('puts the running clocks of the step under the new policy, once per version', async () => {
    const opened = await openCase(agency.satpol, { ppksType: 'fakir_miskin' });
    const n = opened.caseNumber;
    const startedAt = ms(opened.stays![0]!.enteredAt);
    expect(ms(opened.sla!.dueAt) - startedAt).toBe(48 * 3_600_000);
    const override = await agency.supervisor.put('/v1/sla-policies/identification/ppks-types/fakir_miskin', {
      duration: 'P1D',
      calendar: 'continuous',
    });
    expect(override.status).toBe(200);
    try {
      const rollout = await agency.supervisor.post('/v1/sla-policies/identification/apply', { ppksType: 'fakir_miskin' });
      expect(rollout.status).toBe(200);
      expect(rollout.body.applied).toContain(n);
      const view = (await agency.supervisor.get(`/v1/cases/${n}`)).body as CaseView;
      expect(ms(view.sla!.dueAt) - startedAt).toBe(24 * 3_600_000);
      expect(view.sla!.policyVersion).toBe(override.body.version);
      expect((await agency.supervisor.post('/v1/sla-policies/identification/apply', { ppksType: 'fakir_miskin' })).status).toBe(200);
      const again = (await agency.supervisor.get(`/v1/cases/${n}`)).body as CaseView;
      expect(outcomes(again).filter((outcome) => outcome === 'sla_policy_applied')).toHaveLength(1);
      expect((await agency.prov.post('/v1/sla-policies/identification/apply', {})).status).toBe(403);
    } finally {
      await agency.supervisor.raw('DELETE', '/v1/sla-policies/identification/ppks-types/fakir_miskin');
    }
  });
});
