/**
 * Moving an SLA clock after a supervisor's override: paused time is left out, an extension
 * adds time, both in the step's calendar (a pause over a weekend costs a working-days clock
 * nothing it would have counted). Only the due time and the rungs still to come move; alerts
 * already raised stand.
 */
import { DateTime } from 'luxon';
import type { Calendar } from './case.js';
import { addDuration, countedTime, formatJakarta, SLA_ZONE, type SlaPlan } from './sla.js';
import { addWorkingTime, type WorkingCalendar, workingMsBetween } from './working-time.js';

export type SlaShift = { kind: 'resume'; pausedAt: string; resumedAt: string } | { kind: 'extension'; extendBy: string };

export function shiftPlan(
  plan: SlaPlan,
  firedRungs: number,
  shift: SlaShift,
  calendar: Calendar,
  workingCalendar: WorkingCalendar,
): SlaPlan {
  const counted = countedTime(calendar, workingCalendar);
  const move = (instant: string): string => {
    const time = DateTime.fromISO(instant, { zone: SLA_ZONE });
    if (shift.kind === 'extension') return formatJakarta(addDuration(time, shift.extendBy, calendar, workingCalendar));
    const pausedAt = DateTime.fromISO(shift.pausedAt, { zone: SLA_ZONE });
    if (time <= pausedAt) return instant; // already past when the clock stopped
    // What was still left at the pause is left again after the resume.
    const left = workingMsBetween(pausedAt, time, counted);
    return formatJakarta(addWorkingTime(DateTime.fromISO(shift.resumedAt, { zone: SLA_ZONE }), `PT${left / 1000}S`, counted));
  };
  return {
    ...plan,
    dueAt: move(plan.dueAt),
    rungs: plan.rungs.map((rung, index) => (index < firedRungs ? rung : { ...rung, at: move(rung.at) })),
  };
}
