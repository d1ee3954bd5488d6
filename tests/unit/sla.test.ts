import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDuration, durationProblem, planSla, type SlaPolicy, DEFAULT_ESCALATION } from '../../domain/sla.js';
import { OFFICE_HOURS, type WorkingCalendar } from '../../domain/working-time.js';
import { seededHolidays } from '../support/holidays.js';

const office: WorkingCalendar = { hours: OFFICE_HOURS, holidays: seededHolidays() };
const jakarta = (iso: string) => DateTime.fromISO(iso, { setZone: true });
const due = (start: string, duration: string, calendar: 'continuous' | 'working_days') =>
  addDuration(jakarta(start), duration, calendar, office).toISO({ suppressMilliseconds: true });

describe('continuous SLAs', () => {
  it('adds wall-clock time and answers in +07:00', () => {
    expect(due('2026-11-27T10:00:00+07:00', 'P2D', 'continuous')).toBe('2026-11-29T10:00:00+07:00');
    expect(due('2026-11-27T03:00:00Z', 'PT5S', 'continuous')).toBe('2026-11-27T10:00:05+07:00');
  });
});

describe('working-day SLAs (Monday to Friday, 08:00-16:00 Asia/Jakarta)', () => {
  it('counts one working day as eight office hours', () => {
    expect(due('2026-11-23T10:00:00+07:00', 'P1D', 'working_days')).toBe('2026-11-24T10:00:00+07:00'); // Mon -> Tue
  });

  it('skips the weekend', () => {
    expect(due('2026-11-27T14:00:00+07:00', 'P1D', 'working_days')).toBe('2026-11-30T14:00:00+07:00'); // Fri -> Mon
    expect(due('2026-11-27T14:00:00+07:00', 'PT4H', 'working_days')).toBe('2026-11-30T10:00:00+07:00');
  });

  it('starts counting at the next opening when reported out of hours', () => {
    expect(due('2026-11-28T21:00:00+07:00', 'P1D', 'working_days')).toBe('2026-11-30T16:00:00+07:00'); // Saturday night
    expect(due('2026-11-24T06:00:00+07:00', 'PT1H', 'working_days')).toBe('2026-11-24T09:00:00+07:00'); // before opening
    expect(due('2026-11-24T17:30:00+07:00', 'PT1H', 'working_days')).toBe('2026-11-25T09:00:00+07:00'); // after closing
  });

  it('treats a week as five working days', () => {
    expect(due('2026-11-23T08:00:00+07:00', 'P1W', 'working_days')).toBe('2026-11-27T16:00:00+07:00');
  });

  it('skips national holidays, but continuous SLAs do not', () => {
    expect(due('2026-08-14T15:00:00+07:00', 'P1D', 'working_days')).toBe('2026-08-18T15:00:00+07:00'); // Monday 17 August
    expect(due('2026-08-14T15:00:00+07:00', 'P1D', 'continuous')).toBe('2026-08-15T15:00:00+07:00');
  });
});

/** The identification default: two days, continuous, from entering the stage, the default ladder. */
const identification: SlaPolicy = {
  step: 'identification',
  ppksType: null,
  duration: 'P2D',
  calendar: 'continuous',
  anchor: 'stage_entered',
  escalation: DEFAULT_ESCALATION,
  version: 3,
};

describe('SLA plans', () => {
  const policy = identification;

  it('puts the first rung at the due time and later rungs after their delay', () => {
    const plan = planSla(policy, { stageEnteredAt: '2026-11-27T01:30:00Z', caseOpenedAt: '2026-11-20T00:00:00Z' }, office);
    expect(plan).toEqual({
      step: 'identification',
      policyVersion: 3,
      policyPpksType: null,
      dueAt: '2026-11-29T08:30:00+07:00',
      rungs: [
        { level: 1, recipient: 'owner', at: '2026-11-29T08:30:00+07:00' },
        { level: 2, recipient: 'supervisor', at: '2026-11-30T08:30:00+07:00' },
        { level: 3, recipient: 'head_of_office', at: '2026-12-02T08:30:00+07:00' },
      ],
    });
  });

  it('counts placement from the opening of the case (day-7 rule)', () => {
    const plan = planSla(
      { ...policy, step: 'placement', duration: 'P7D', anchor: 'case_opened' },
      {
        stageEnteredAt: '2026-11-25T00:00:00Z',
        caseOpenedAt: '2026-11-20T00:00:00Z',
      },
      office,
    );
    expect(plan.dueAt).toBe('2026-11-27T07:00:00+07:00');
  });

  it('names the PPKS type whose override the clock runs under', () => {
    const plan = planSla(
      { ...policy, ppksType: 'kelompok_minoritas', version: 2 },
      { stageEnteredAt: '2026-11-27T01:30:00Z', caseOpenedAt: '2026-11-20T00:00:00Z' },
      office,
    );
    expect([plan.policyPpksType, plan.policyVersion]).toEqual(['kelompok_minoritas', 2]);
  });

  it('validates durations per calendar', () => {
    expect(durationProblem('P2D', 'continuous')).toBeNull();
    expect(durationProblem('two days', 'continuous')).toMatch(/ISO 8601/);
    expect(durationProblem('P1M', 'working_days')).toMatch(/not months/);
    expect(durationProblem('P1M', 'continuous')).toBeNull();
    expect(durationProblem('P99999999Y', 'continuous')).toMatch(/at most two years/);
    expect(durationProblem('P3Y', 'continuous')).toMatch(/at most two years/);
  });
});

describe('reminders', () => {
  const halfway = { kind: 'reminder', atPercent: 50, recipient: 'owner' } as const;
  const policy: SlaPolicy = {
    ...identification,
    // Listed last on purpose: the plan orders the rungs by time.
    escalation: [...DEFAULT_ESCALATION, halfway],
    version: 4,
  };

  it('fire at their share of a continuous SLA, first in the plan, at level 0', () => {
    const plan = planSla(policy, { stageEnteredAt: '2026-11-27T08:30:00+07:00', caseOpenedAt: '2026-11-27T08:30:00+07:00' }, office);
    expect(plan.dueAt).toBe('2026-11-29T08:30:00+07:00');
    expect(plan.rungs).toEqual([
      { level: 0, recipient: 'owner', at: '2026-11-28T08:30:00+07:00', kind: 'reminder', atPercent: 50 },
      // Escalation rungs keep the shape plans of running cases have: no `kind`.
      { level: 1, recipient: 'owner', at: '2026-11-29T08:30:00+07:00' },
      { level: 2, recipient: 'supervisor', at: '2026-11-30T08:30:00+07:00' },
      { level: 3, recipient: 'head_of_office', at: '2026-12-02T08:30:00+07:00' },
    ]);
  });

  it('count working time for a working-days SLA, across the weekend', () => {
    // Friday 14:00 + one working day (8 office hours) is Monday 14:00; half of it is 2 h on Friday and 2 h on Monday.
    const workingDays: SlaPolicy = { ...policy, duration: 'P1D', calendar: 'working_days' };
    const plan = planSla(workingDays, { stageEnteredAt: '2026-11-27T14:00:00+07:00', caseOpenedAt: '2026-11-27T14:00:00+07:00' }, office);
    expect(plan.dueAt).toBe('2026-11-30T14:00:00+07:00');
    expect(plan.rungs.map((rung) => [rung.level, rung.at])).toEqual([
      [0, '2026-11-30T10:00:00+07:00'],
      [1, '2026-11-30T14:00:00+07:00'],
      [2, '2026-12-01T14:00:00+07:00'],
      [3, '2026-12-03T14:00:00+07:00'],
    ]);
  });

  it('count from the case opening when the policy does, and in the order they fire', () => {
    const placement: SlaPolicy = {
      ...policy,
      step: 'placement',
      duration: 'P7D',
      anchor: 'case_opened',
      escalation: [{ kind: 'reminder', atPercent: 90, recipient: 'supervisor' }, { level: 1, after: 'PT0S', recipient: 'owner' }, halfway],
    };
    const plan = planSla(placement, { stageEnteredAt: '2026-11-25T00:00:00Z', caseOpenedAt: '2026-11-20T07:00:00+07:00' }, office);
    expect(plan.rungs).toEqual([
      { level: 0, recipient: 'owner', at: '2026-11-23T19:00:00+07:00', kind: 'reminder', atPercent: 50 },
      { level: 0, recipient: 'supervisor', at: '2026-11-26T14:12:00+07:00', kind: 'reminder', atPercent: 90 },
      { level: 1, recipient: 'owner', at: '2026-11-27T07:00:00+07:00' },
    ]);
  });
});
