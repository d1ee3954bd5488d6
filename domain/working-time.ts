/**
 * Working-time arithmetic in Asia/Jakarta: adding an SLA duration in working time, and measuring
 * the working time between two instants. Pure: the caller passes the calendar (the owner's
 * working hours and the holidays, both kept in PostgreSQL).
 *
 * - `office_hours`: only the listed ISO weekdays (1 = Monday), from `opens` to `closes`, and never
 *   on a holiday or cuti bersama. One working day is one day's opening hours (8 h for 08:00-16:00),
 *   so P1D from Monday 10:00 is Tuesday 10:00, and a week is as many working days as the schedule
 *   has per week (five for Monday to Friday).
 * - `round_the_clock` (Satpol PP): every hour of every day counts, holidays included: a working day
 *   is 24 hours and a week seven days, which is wall-clock time.
 */
import { DateTime, Duration } from 'luxon';
import { ROLES } from './case.js';

export const JAKARTA = 'Asia/Jakarta';

export const WORKING_SCHEDULES = ['round_the_clock', 'office_hours'] as const;
export const HOLIDAY_KINDS = ['national_holiday', 'cuti_bersama'] as const;

export type WorkingHours = { schedule: 'round_the_clock' } | { schedule: 'office_hours'; days: number[]; opens: string; closes: string };

export interface WorkingCalendar {
  hours: WorkingHours;
  /** Dates (YYYY-MM-DD, Asia/Jakarta) on which no office hours count. */
  holidays: ReadonlySet<string>;
}

/** Government offices by default: Monday to Friday, 08:00-16:00. */
export const OFFICE_HOURS: WorkingHours = { schedule: 'office_hours', days: [1, 2, 3, 4, 5], opens: '08:00', closes: '16:00' };

/** Every role that can own a step or receive an escalation has working hours. */
export const WORKING_HOURS_ROLES = [...ROLES, 'head_of_office'] as const;
export type WorkingHoursRole = (typeof WORKING_HOURS_ROLES)[number];

/** Satpol PP patrols round the clock; everyone else keeps office hours until a supervisor says otherwise. */
export const DEFAULT_WORKING_HOURS = (role: WorkingHoursRole): WorkingHours =>
  role === 'satpol_pp' ? { schedule: 'round_the_clock' } : OFFICE_HOURS;

const HOUR_MS = 3_600_000;

export function addWorkingTime(start: DateTime, isoDuration: string, calendar: WorkingCalendar): DateTime {
  const zoned = inJakarta(start);
  const ms = workingDurationMs(isoDuration, calendar.hours);
  if (calendar.hours.schedule === 'round_the_clock') return zoned.plus({ milliseconds: ms });
  const office = officeOf(calendar.hours);
  let cursor = zoned;
  let remaining = ms;
  for (;;) {
    const day = nextOpenDay(cursor, office, calendar.holidays);
    const from = DateTime.max(cursor, day.opens);
    const available = day.closes.toMillis() - from.toMillis();
    if (remaining <= available) return from.plus({ milliseconds: remaining });
    remaining -= available;
    cursor = day.closes;
  }
}

/** Working time between two instants (0 when `to` is not after `from`). */
export function workingMsBetween(from: DateTime, to: DateTime, calendar: WorkingCalendar): number {
  if (inJakarta(to) <= inJakarta(from)) return 0;
  if (calendar.hours.schedule === 'round_the_clock') return to.toMillis() - from.toMillis();
  const office = officeOf(calendar.hours);
  let total = 0;
  let cursor = inJakarta(from);
  for (;;) {
    const day = nextOpenDay(cursor, office, calendar.holidays);
    if (day.opens >= to) return total;
    const start = DateTime.max(cursor, day.opens);
    const end = DateTime.min(to, day.closes);
    total += end.toMillis() - start.toMillis();
    if (to <= day.closes) return total;
    cursor = day.closes;
  }
}

/** An invalid time compares false with everything, and the day search would never end. */
function inJakarta(time: DateTime): DateTime {
  if (!time.isValid) throw new RangeError(`not a valid time: ${time.invalidExplanation}`);
  return time.setZone(JAKARTA);
}

/** The length of an ISO duration in working time: days and weeks are the schedule's. */
function workingDurationMs(isoDuration: string, hours: WorkingHours): number {
  const duration = Duration.fromISO(isoDuration);
  if (!duration.isValid) throw new RangeError(`not an ISO 8601 duration: ${isoDuration}`);
  const { years, quarters, months, weeks, days, hours: h, minutes, seconds, milliseconds } = duration.toObject();
  if (years || quarters || months) throw new RangeError(`working time counts days, hours and minutes, not months or years: ${isoDuration}`);
  const office = hours.schedule === 'office_hours' ? officeOf(hours) : null;
  const dayMs = office ? office.closesMs - office.opensMs : 24 * HOUR_MS;
  const daysPerWeek = office ? office.days.size : 7;
  const time = Duration.fromObject({ hours: h, minutes, seconds, milliseconds }).toMillis();
  return ((weeks ?? 0) * daysPerWeek + (days ?? 0)) * dayMs + time;
}

interface Office {
  days: ReadonlySet<number>;
  opensMs: number;
  closesMs: number;
}

function officeOf(hours: Extract<WorkingHours, { schedule: 'office_hours' }>): Office {
  const opensMs = clockMs(hours.opens);
  const closesMs = clockMs(hours.closes);
  // Without a single open hour a week no due time exists: refuse rather than loop for ever.
  if (!hours.days.some((day) => day >= 1 && day <= 7) || opensMs >= closesMs)
    throw new RangeError(`office hours without working time: ${JSON.stringify(hours)}`);
  return { days: new Set(hours.days), opensMs, closesMs };
}

/** 'HH:MM' as milliseconds after midnight. */
function clockMs(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`not a time of day (HH:MM): ${time}`);
  return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

/** The first working day whose closing is after `time` (the day of `time` itself if still open). */
function nextOpenDay(time: DateTime, office: Office, holidays: ReadonlySet<string>): { opens: DateTime; closes: DateTime } {
  let midnight = time.startOf('day');
  for (;;) {
    const closes = midnight.plus({ milliseconds: office.closesMs });
    if (office.days.has(midnight.weekday) && !holidays.has(midnight.toISODate()!) && closes > time) {
      return { opens: midnight.plus({ milliseconds: office.opensMs }), closes };
    }
    midnight = midnight.plus({ days: 1 });
  }
}
