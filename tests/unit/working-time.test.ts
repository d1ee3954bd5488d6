/**
 * Working-time calendars over the real 2026-2027 holiday data (db/seed/holidays.json): weekends,
 * national holidays and cuti bersama are skipped in office hours, never round the clock.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { planSla } from '../../domain/sla.js';
import { DEFAULT_SLA_POLICIES } from '../../domain/sla-defaults.js';
import { addWorkingTime, OFFICE_HOURS, workingMsBetween, type WorkingCalendar, type WorkingHours } from '../../domain/working-time.js';
import { seededHolidays } from '../support/holidays.js';

const holidays = seededHolidays();
const office: WorkingCalendar = { hours: OFFICE_HOURS, holidays };
const roundTheClock: WorkingCalendar = { hours: { schedule: 'round_the_clock' }, holidays };
/** A UPT open Monday to Saturday, 07:00-19:00: a working day of 12 hours, a week of six days. */
const uptHours: WorkingCalendar = {
  hours: { schedule: 'office_hours', days: [1, 2, 3, 4, 5, 6], opens: '07:00', closes: '19:00' },
  holidays,
};

const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });
const due = (start: string, duration: string, calendar: WorkingCalendar) =>
  addWorkingTime(at(start), duration, calendar).toISO({ suppressMilliseconds: true });
const HOUR = 3_600_000;

describe('office hours (Monday to Friday, 08:00-16:00)', () => {
  it('counts across a weekend', () => {
    expect(due('2026-11-27T14:00:00+07:00', 'P1D', office)).toBe('2026-11-30T14:00:00+07:00'); // Friday -> Monday
  });

  it('counts across a national holiday', () => {
    // Tuesday 25 August 2026 is Maulid Nabi Muhammad S.A.W.
    expect(due('2026-08-24T10:00:00+07:00', 'P1D', office)).toBe('2026-08-26T10:00:00+07:00');
    expect(due('2026-08-24T10:00:00+07:00', 'P1D', { ...office, holidays: new Set() })).toBe('2026-08-25T10:00:00+07:00');
  });

  it('counts across a weekend adjoining cuti bersama', () => {
    // Thursday 24 December 2026 cuti bersama, Friday Christmas, then the weekend.
    expect(due('2026-12-23T10:00:00+07:00', 'P1D', office)).toBe('2026-12-28T10:00:00+07:00');
    // Lebaran 2026: cuti bersama 18 March, Nyepi 19, cuti bersama 20, Idulfitri on the weekend, cuti bersama 23-24.
    expect(due('2026-03-17T10:00:00+07:00', 'P1D', office)).toBe('2026-03-25T10:00:00+07:00');
    // 2027: Nyepi Monday 8 March, then cuti bersama, Idulfitri, cuti bersama, a weekend, cuti bersama on Monday 15.
    expect(due('2027-03-05T15:00:00+07:00', 'P1D', office)).toBe('2027-03-16T15:00:00+07:00');
  });

  it('starts counting at the next opening when started out of hours or on a holiday', () => {
    expect(due('2026-11-28T21:00:00+07:00', 'P1D', office)).toBe('2026-11-30T16:00:00+07:00'); // Saturday night
    expect(due('2026-11-24T06:00:00+07:00', 'PT1H', office)).toBe('2026-11-24T09:00:00+07:00'); // before opening
    expect(due('2026-11-24T17:30:00+07:00', 'PT1H', office)).toBe('2026-11-25T09:00:00+07:00'); // after closing
    expect(due('2026-08-17T09:00:00+07:00', 'PT1H', office)).toBe('2026-08-18T09:00:00+07:00'); // on Proklamasi
  });

  it('answers in Asia/Jakarta whatever zone the start is given in', () => {
    expect(due('2026-11-27T07:00:00Z', 'P1D', office)).toBe('2026-11-30T14:00:00+07:00');
  });

  it('refuses months and years, and office hours without working time', () => {
    expect(() => addWorkingTime(at('2026-11-27T10:00:00+07:00'), 'P1M', office)).toThrow(/not months or years/);
    const closed: WorkingHours = { schedule: 'office_hours', days: [], opens: '08:00', closes: '16:00' };
    expect(() => addWorkingTime(at('2026-11-27T10:00:00+07:00'), 'P1D', { hours: closed, holidays })).toThrow(RangeError);
  });
});

describe('round the clock (Satpol PP)', () => {
  it('counts every hour of every day, holidays included', () => {
    expect(due('2026-08-14T15:00:00+07:00', 'P1D', roundTheClock)).toBe('2026-08-15T15:00:00+07:00');
    expect(due('2026-08-16T20:00:00+07:00', 'PT8H', roundTheClock)).toBe('2026-08-17T04:00:00+07:00'); // into Proklamasi
    expect(due('2026-12-23T10:00:00+07:00', 'P1W', roundTheClock)).toBe('2026-12-30T10:00:00+07:00');
  });
});

describe('custom working hours', () => {
  it('makes a working day the length of the opening hours, and a week the open days', () => {
    expect(due('2026-11-28T10:00:00+07:00', 'P1D', uptHours)).toBe('2026-11-30T10:00:00+07:00'); // Saturday -> Monday
    expect(due('2026-11-27T18:00:00+07:00', 'PT13H', uptHours)).toBe('2026-11-28T19:00:00+07:00'); // Friday's last hour, all Saturday
    expect(due('2026-11-23T07:00:00+07:00', 'P1W', uptHours)).toBe('2026-11-28T19:00:00+07:00');
    expect(due('2026-08-15T18:00:00+07:00', 'PT2H', uptHours)).toBe('2026-08-18T08:00:00+07:00'); // Sunday and 17 August skipped
  });
});

describe('working time between two instants', () => {
  it('counts only working time', () => {
    expect(workingMsBetween(at('2026-08-14T15:00:00+07:00'), at('2026-08-18T15:00:00+07:00'), office)).toBe(8 * HOUR);
    expect(workingMsBetween(at('2026-08-14T15:00:00+07:00'), at('2026-08-18T15:00:00+07:00'), roundTheClock)).toBe(96 * HOUR);
    expect(workingMsBetween(at('2026-11-28T09:00:00+07:00'), at('2026-11-29T15:00:00+07:00'), office)).toBe(0); // a weekend
    expect(workingMsBetween(at('2026-11-30T10:00:00+07:00'), at('2026-11-27T10:00:00+07:00'), office)).toBe(0); // backwards
  });

  it('is the inverse of adding working time', () => {
    const calendars = [office, roundTheClock, uptHours];
    const firstMinute = DateTime.fromISO('2026-01-01T00:00:00+07:00').toMillis();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 * 365 * 24 * 60 - 1 }),
        fc.integer({ min: 0, max: 20 * 8 * 60 }),
        fc.constantFrom(...calendars),
        (startMinute, minutes, calendar) => {
          const start = DateTime.fromMillis(firstMinute + startMinute * 60_000, { zone: 'Asia/Jakarta' });
          const end = addWorkingTime(start, `PT${minutes}M`, calendar);
          expect(workingMsBetween(start, end, calendar)).toBe(minutes * 60_000);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the showcase: Dinsos Jatim repatriates within 1 working day', () => {
  it('is due on Tuesday 15:00 when entered on Friday 15:00 before the Monday of 17 August', () => {
    const policy = { ...DEFAULT_SLA_POLICIES.repatriation_departure, ppksType: null, version: 1 };
    expect(policy).toMatchObject({ duration: 'P1D', calendar: 'working_days' });
    const plan = planSla(policy, { stageEnteredAt: '2026-08-14T08:00:00Z', caseOpenedAt: '2026-08-13T22:00:00+07:00' }, office);
    expect(plan.dueAt).toBe('2026-08-18T15:00:00+07:00');
    // Escalations count working days from the due time too: one working day, then three.
    expect(plan.rungs.map((rung) => rung.at)).toEqual([
      '2026-08-18T15:00:00+07:00',
      '2026-08-19T15:00:00+07:00',
      '2026-08-21T15:00:00+07:00',
    ]);
  });
});
