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

describe('SLA plans', () => {
  const policy: SlaPolicy = { step: 'identification', duration: 'P2D', calendar: 'continuous', anchor: 'stage_entered', escalation: DEFAULT_ESCALATION, version: 3 };

  it('puts the first rung at the due time and later rungs after their delay', () => {
    const plan = planSla(policy, { stageEnteredAt: '2026-11-27T01:30:00Z', caseOpenedAt: '2026-11-20T00:00:00Z' }, office);
    expect(plan).toEqual({
      step: 'identification',
      policyVersion: 3,
      dueAt: '2026-11-29T08:30:00+07:00',
      rungs: [
        { level: 1, recipient: 'owner', at: '2026-11-29T08:30:00+07:00' },
        { level: 2, recipient: 'supervisor', at: '2026-11-30T08:30:00+07:00' },
        { level: 3, recipient: 'head_of_office', at: '2026-12-02T08:30:00+07:00' },
      ],
    });
  });

  it('counts placement from the opening of the case (day-7 rule)', () => {
    const plan = planSla({ ...policy, step: 'placement', duration: 'P7D', anchor: 'case_opened' }, {
      stageEnteredAt: '2026-11-25T00:00:00Z', caseOpenedAt: '2026-11-20T00:00:00Z',
    }, office);
    expect(plan.dueAt).toBe('2026-11-27T07:00:00+07:00');
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
