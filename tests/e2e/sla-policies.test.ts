/**
 * SLA policies as data, end to end: a supervisor overrides a step's policy for one PPKS type over
 * HTTP, and the SLA clock activity (as the worker runs it) uses the override for that type only,
 * reminders included, until the override is removed. Every change is a version, listed with its
 * reason, and in the audit trail; bad input is a 400 naming each field; only supervisors change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { auditEntries, supervisorFor } from '../support/cases.js';
import { type AgencyClient, startService, type RunningService } from '../support/service.js';

// Types no test's case has, on a step no other test overrides (the access matrix test uses follow_up).
const STEP = 'address_lookup';
const OVERRIDDEN = 'kelompok_minoritas';
const OTHER = 'komunitas_adat_terpencil';
const OVERRIDE = `/v1/sla-policies/${STEP}/ppks-types/${OVERRIDDEN}`;
// A Tuesday in a year without seeded holidays, away from the dates other tests add holidays on.
const ENTERED = '2031-03-04T10:00:00+07:00';

const LADDER = [
  { kind: 'reminder', atPercent: 50, recipient: 'owner' },
  { level: 1, after: 'PT0S', recipient: 'owner' },
  { level: 2, after: 'P1D', recipient: 'supervisor' },
  { level: 3, after: 'P3D', recipient: 'head_of_office' },
];

let service: RunningService;
let supervisor: AgencyClient;
let supervisorId: string;
let prov: AgencyClient, auditor: AgencyClient, satpol: AgencyClient;
let activities: ReturnType<typeof createActivities>;

beforeAll(async () => {
  service = await startService();
  ({ client: supervisor, agencyId: supervisorId } = await supervisorFor(service, 'Policy supervisor'));
  prov = await service.clientFor('Policy Dinsos Jatim', 'dinsos_prov');
  auditor = await service.clientFor('Policy auditor', 'auditor');
  satpol = await service.clientFor('Policy Satpol PP', 'satpol_pp', { regionCode: '35.78' });
  activities = createActivities(service.pool, { temporal: service.temporal, taskQueue: service.taskQueue });
});

afterAll(async () => {
  await service?.stop();
});

/** The address lookup's clock for a case of this type (none: no type given), owned by Dinsos Jatim. */
const plan = (ppksType?: string) =>
  activities.planSlaClock({ step: STEP, stageEnteredAt: ENTERED, caseOpenedAt: ENTERED, ownerRole: 'dinsos_prov', ppksType });

const versionsOf = async (ppksType?: string) => {
  const response = await auditor.get(`/v1/sla-policies/${STEP}/versions${ppksType ? `?ppksType=${ppksType}` : ''}`);
  expect(response.status).toBe(200);
  return response.body.items as { version: number; removed: boolean; duration: string | null; reason: string | null; createdBy: string }[];
};

const auditOf = (entryKeyPrefix: string) => auditEntries(service.pool, entryKeyPrefix);

describe('per PPKS type overrides', () => {
  it('apply to clocks of that type only, reminders included, until removed; each change a version in the audit trail', async () => {
    const defaultPolicy = (await prov.get('/v1/sla-policies')).body.items.find((p: { step: string }) => p.step === STEP);
    expect(defaultPolicy).toMatchObject({ ppksType: null, duration: 'P3D', calendar: 'continuous' });
    const defaultDue = '2031-03-07T10:00:00+07:00';
    expect(await plan(OVERRIDDEN)).toMatchObject({ policyPpksType: null, policyVersion: defaultPolicy.version, dueAt: defaultDue });
    const before = (await versionsOf(OVERRIDDEN)).length;

    try {
      const created = await supervisor.put(OVERRIDE, {
        duration: 'P1D',
        calendar: 'working_days',
        escalation: LADDER,
        reason: 'Respon cepat untuk kelompok minoritas',
      });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        step: STEP,
        ppksType: OVERRIDDEN,
        duration: 'P1D',
        calendar: 'working_days',
        anchor: 'stage_entered',
        escalation: LADDER,
        version: before + 1,
        updatedBy: supervisorId,
      });

      // One working day of Dinsos Jatim (08:00-16:00) from Tuesday 10:00; the reminder halfway, four office hours in.
      const overridden = await plan(OVERRIDDEN);
      expect(overridden).toEqual({
        step: STEP,
        policyVersion: before + 1,
        policyPpksType: OVERRIDDEN,
        dueAt: '2031-03-05T10:00:00+07:00',
        rungs: [
          { level: 0, recipient: 'owner', at: '2031-03-04T14:00:00+07:00', kind: 'reminder', atPercent: 50 },
          { level: 1, recipient: 'owner', at: '2031-03-05T10:00:00+07:00' },
          { level: 2, recipient: 'supervisor', at: '2031-03-06T10:00:00+07:00' },
          { level: 3, recipient: 'head_of_office', at: '2031-03-10T10:00:00+07:00' },
        ],
      });
      // A running clock re-planned under the policy in force counts from its own start.
      expect(
        await activities.replanSlaClock({
          step: STEP,
          ppksType: OVERRIDDEN,
          ownerRole: 'dinsos_prov',
          clockStartedAt: ENTERED,
          caseOpenedAt: ENTERED,
        }),
      ).toEqual(overridden);
      // A supervisor's extension moves the clock in the calendar of the policy it runs under (the default's is continuous).
      const extended = await activities.shiftSlaPlan({
        plan: overridden,
        firedRungs: 0,
        ownerRole: 'dinsos_prov',
        shifts: [{ kind: 'extension', extendBy: 'PT8H' }],
      });
      expect(extended.dueAt).toBe('2031-03-06T10:00:00+07:00');
      expect(await plan(OTHER)).toMatchObject({ policyPpksType: null, dueAt: defaultDue });
      expect(await plan()).toMatchObject({ policyPpksType: null, dueAt: defaultDue });

      const listed = (await prov.get('/v1/sla-policies')).body.items.filter((p: { step: string }) => p.step === STEP);
      expect(listed.map((p: { ppksType: string | null }) => p.ppksType)).toEqual([null, OVERRIDDEN]);

      // A change without a ladder keeps the override's own.
      const changed = await supervisor.put(OVERRIDE, { duration: 'PT4H', calendar: 'working_days' });
      expect(changed.body).toMatchObject({ version: before + 2, duration: 'PT4H', escalation: LADDER });
      expect((await plan(OVERRIDDEN)).rungs[0]).toEqual({
        level: 0,
        recipient: 'owner',
        at: '2031-03-04T12:00:00+07:00',
        kind: 'reminder',
        atPercent: 50,
      });

      expect((await supervisor.raw('DELETE', OVERRIDE, { reason: 'Kembali ke standar' })).status).toBe(204);
      expect((await supervisor.raw('DELETE', OVERRIDE)).status).toBe(404);
      expect(await plan(OVERRIDDEN)).toMatchObject({ policyPpksType: null, policyVersion: defaultPolicy.version, dueAt: defaultDue });

      // Created again, the override continues the count past its removal.
      expect((await supervisor.put(OVERRIDE, { duration: 'P2D', calendar: 'continuous' })).body).toMatchObject({
        version: before + 4,
        anchor: defaultPolicy.anchor,
        escalation: defaultPolicy.escalation,
      });
    } finally {
      await supervisor.raw('DELETE', OVERRIDE);
    }

    expect((await versionsOf(OVERRIDDEN)).slice(before)).toEqual([
      expect.objectContaining({
        version: before + 1,
        removed: false,
        duration: 'P1D',
        reason: 'Respon cepat untuk kelompok minoritas',
        createdBy: supervisorId,
      }),
      expect.objectContaining({ version: before + 2, removed: false, duration: 'PT4H', reason: null }),
      expect.objectContaining({ version: before + 3, removed: true, duration: null, escalation: null, reason: 'Kembali ke standar' }),
      expect.objectContaining({ version: before + 4, removed: false, duration: 'P2D' }),
      expect.objectContaining({ version: before + 5, removed: true }),
    ]);
    expect((await auditOf(`sla-policy/${STEP}/${OVERRIDDEN}/`)).slice(before)).toEqual(
      [
        'sla_policy.override_change',
        'sla_policy.override_change',
        'sla_policy.override_remove',
        'sla_policy.override_change',
        'sla_policy.override_remove',
      ].map((action, index) => ({
        action,
        agency_id: supervisorId,
        details: { step: STEP, ppksType: OVERRIDDEN, version: before + index + 1 },
      })),
    );
    // The other type never had an override.
    expect(await versionsOf(OTHER)).toEqual([]);
  });
});

describe('default policies', () => {
  it('keep every version with its reason, from the seeded one on', async () => {
    // The same settings again: other test files running now see no difference.
    const current = (await supervisor.get('/v1/sla-policies')).body.items.find((p: { step: string }) => p.step === 'placement_admission');
    const changed = await supervisor.put('/v1/sla-policies/placement_admission', {
      duration: current.duration,
      calendar: current.calendar,
      anchor: current.anchor,
      escalation: current.escalation,
      reason: 'Ditinjau ulang',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ ppksType: null, version: current.version + 1 });
    expect(changed.body.updatedAt).toMatch(/\+07:00$/);

    const versions = (await prov.get('/v1/sla-policies/placement_admission/versions')).body.items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual(Array.from({ length: current.version + 1 }, (_, i) => i + 1));
    expect(versions[0]).toMatchObject({ ppksType: null, removed: false, createdBy: 'seed', duration: 'P1D', calendar: 'continuous' });
    expect(versions.at(-1)).toMatchObject({ reason: 'Ditinjau ulang', createdBy: supervisorId, escalation: current.escalation });
    expect(await auditOf(`sla-policy/placement_admission/v${current.version + 1}`)).toEqual([
      {
        action: 'sla_policy.change',
        agency_id: supervisorId,
        details: { step: 'placement_admission', ppksType: null, version: current.version + 1 },
      },
    ]);
  });
});

describe('changes', () => {
  it('are validated, each bad field named, and nothing is stored', async () => {
    const fields = async (body: unknown, path = `/v1/sla-policies/${STEP}/ppks-types/${OTHER}`) => {
      const response = await supervisor.put(path, body);
      expect(response.contentType).toMatch(/^application\/problem\+json/);
      return [response.status, response.body.errors.map((error: { path: string }) => error.path)];
    };
    const base = { duration: 'P1D', calendar: 'working_days' };
    const owner = { level: 1, after: 'PT0S', recipient: 'owner' };
    expect(await fields({ ...base, escalation: [{ kind: 'reminder', atPercent: 100, recipient: 'owner' }, owner] })).toEqual([
      400,
      ['escalation.0.atPercent'],
    ]);
    expect(await fields({ ...base, escalation: [{ kind: 'reminder', recipient: 'owner' }, owner] })).toEqual([
      400,
      ['escalation.0.atPercent'],
    ]);
    expect(await fields({ ...base, escalation: [{ kind: 'reminder', atPercent: 50, after: 'PT1H', recipient: 'owner' }, owner] })).toEqual([
      400,
      ['escalation.0'],
    ]);
    expect(
      await fields({
        ...base,
        escalation: [
          { kind: 'reminder', atPercent: 50, recipient: 'owner' },
          { kind: 'reminder', atPercent: 50, recipient: 'supervisor' },
          owner,
        ],
      }),
    ).toEqual([400, ['escalation.1.atPercent']]);
    // Levels count escalation rungs only, in order.
    expect(
      await fields({
        ...base,
        escalation: [
          { kind: 'reminder', atPercent: 50, recipient: 'owner' },
          { level: 2, after: 'PT0S', recipient: 'owner' },
        ],
      }),
    ).toEqual([400, ['escalation.1.level']]);
    expect(await fields({ ...base, escalation: [{ kind: 'reminder', atPercent: 50, recipient: 'owner' }] })).toEqual([400, ['escalation']]);
    const nineLevels = Array.from({ length: 9 }, (_, i) => ({ level: i + 1, after: 'PT0S', recipient: 'owner' }));
    expect(await fields({ ...base, escalation: [...nineLevels, { kind: 'reminder', atPercent: 50, recipient: 'owner' }] })).toEqual([
      400,
      ['escalation'],
    ]);
    expect(await fields({ ...base, escalation: [{ ...owner, after: 'P1M' }] })).toEqual([400, ['escalation.0.after']]);
    expect(await fields({ duration: 'P1M', calendar: 'working_days' })).toEqual([400, ['duration']]);
    expect(await fields({ ...base, reason: ' ' })).toEqual([400, ['reason']]);
    expect(await fields(base, `/v1/sla-policies/${STEP}/ppks-types/orang_hilang`)).toEqual([400, ['path']]);
    expect(await fields(base, `/v1/sla-policies/lunch/ppks-types/${OTHER}`)).toEqual([400, ['path']]);
    const versions = await auditor.get(`/v1/sla-policies/${STEP}/versions?ppksType=orang_hilang`);
    expect([versions.status, versions.body.errors.map((error: { path: string }) => error.path)]).toEqual([400, ['query.ppksType']]);

    expect(await versionsOf(OTHER)).toEqual([]);
    expect((await supervisor.get('/v1/sla-policies')).body.items.filter((p: { ppksType: string | null }) => p.ppksType === OTHER)).toEqual(
      [],
    );
  });

  it('are for supervisors only; Dinsos Jatim and auditors read the policies and their versions', async () => {
    const body = { duration: 'P1D', calendar: 'continuous' };
    for (const agency of [prov, auditor, satpol]) {
      expect((await agency.put(`/v1/sla-policies/${STEP}/ppks-types/${OTHER}`, body)).status).toBe(403);
      expect((await agency.raw('DELETE', `/v1/sla-policies/${STEP}/ppks-types/${OTHER}`)).status).toBe(403);
      expect((await agency.put(`/v1/sla-policies/${STEP}`, body)).status).toBe(403);
    }
    for (const agency of [prov, auditor, supervisor]) {
      expect((await agency.get('/v1/sla-policies')).status).toBe(200);
      expect((await agency.get(`/v1/sla-policies/${STEP}/versions`)).status).toBe(200);
    }
    const refused = await satpol.get(`/v1/sla-policies/${STEP}/versions`);
    expect([refused.status, refused.contentType]).toEqual([403, expect.stringMatching(/^application\/problem\+json/)]);
    expect((await satpol.get('/v1/sla-policies')).status).toBe(403);
    expect(await versionsOf(OTHER)).toEqual([]);
  });
});
