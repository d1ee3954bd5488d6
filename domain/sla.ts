/**
 * SLA arithmetic: when a step is due and when each rung of its ladder fires.
 *
 * Calendars:
 * - `continuous`: the duration is added as wall-clock time in Asia/Jakarta.
 * - `working_days`: the duration is added in the working time of the agency owning the step
 *   (`domain/working-time.ts`): its working hours (offices Monday to Friday 08:00-16:00, Satpol PP
 *   round the clock) without weekends, national holidays and cuti bersama. A working day is one
 *   day's opening hours, so P1D from Monday 10:00 is due Tuesday 10:00, and time started on a
 *   weekend or holiday starts counting at the next opening.
 *
 * The ladder holds escalation rungs (after the due time) and reminders (before it, at a share of
 * the SLA's duration); both count in the policy's calendar.
 */
import { DateTime, Duration } from 'luxon';
import type { AlertRecipient, Calendar, SlaStep } from './case.js';
import { parseDuration } from './durations.js';
import { addWorkingTime, JAKARTA, type WorkingCalendar, workingMsBetween } from './working-time.js';

export const SLA_ZONE = JAKARTA;
/** The longest UPT stays run two years: no step's SLA is longer. */
const MAX_SLA_MS = 2 * 366 * 24 * 3_600_000;

export interface EscalationRung {
  /** Optional: a rung without `kind` escalates (the only kind policies had before reminders). */
  kind?: 'escalation';
  level: number;
  /** How long after the due time this rung fires, in the policy's calendar. */
  after: string;
  recipient: AlertRecipient;
}

/** A heads-up before the due time; it never marks the case breached. */
interface ReminderRung {
  kind: 'reminder';
  /** 1-99: the share of the SLA's duration elapsed, counted from the clock's start in the policy's calendar. */
  atPercent: number;
  recipient: AlertRecipient;
}

type LadderRung = EscalationRung | ReminderRung;

export interface SlaPolicy {
  step: SlaStep;
  /** The PPKS type this policy overrides the step's default for; null for the default. */
  ppksType: string | null;
  duration: string;
  calendar: Calendar;
  /** What the clock counts from: entering the stage, or opening the case (placement's day-7 rule). */
  anchor: 'stage_entered' | 'case_opened';
  escalation: LadderRung[];
  version: number;
}

export interface PlannedRung {
  /** Escalation rungs 1..n; reminders 0, so the case's escalation level never counts them. */
  level: number;
  recipient: AlertRecipient;
  at: string;
  /** Reminders only: escalation rungs keep the shape the plans of running cases already have. */
  kind?: 'reminder';
  /** Reminders only: names the reminder (two reminders share level 0). */
  atPercent?: number;
}

export interface SlaPlan {
  step: SlaStep;
  /** The policy the clock runs under: its version, and its PPKS type (null for the step's default). */
  policyVersion: number;
  policyPpksType: string | null;
  dueAt: string;
  /** In the order they fire. */
  rungs: PlannedRung[];
}

/** `workingCalendar` is the step owner's, used when the policy counts `working_days`. */
export function planSla(
  policy: SlaPolicy,
  clock: { stageEnteredAt: string; caseOpenedAt: string },
  workingCalendar: WorkingCalendar,
): SlaPlan {
  const start = DateTime.fromISO(policy.anchor === 'case_opened' ? clock.caseOpenedAt : clock.stageEnteredAt, { zone: SLA_ZONE });
  const due = addDuration(start, policy.duration, policy.calendar, workingCalendar);
  const counted = countedTime(policy.calendar, workingCalendar);
  const slaMs = workingMsBetween(start, due, counted);
  const rungs = policy.escalation.map((rung): { time: DateTime; planned: PlannedRung } => {
    if (rung.kind === 'reminder') {
      const time = addWorkingTime(start, `PT${Math.round((slaMs * rung.atPercent) / 100) / 1000}S`, counted);
      return {
        time,
        planned: { level: 0, recipient: rung.recipient, at: formatJakarta(time), kind: 'reminder', atPercent: rung.atPercent },
      };
    }
    const time = addDuration(due, rung.after, policy.calendar, workingCalendar);
    return { time, planned: { level: rung.level, recipient: rung.recipient, at: formatJakarta(time) } };
  });
  return {
    step: policy.step,
    policyVersion: policy.version,
    policyPpksType: policy.ppksType,
    dueAt: formatJakarta(due),
    rungs: rungs.sort((a, b) => a.time.toMillis() - b.time.toMillis() || a.planned.level - b.planned.level).map((rung) => rung.planned),
  };
}

/** The time a clock in this calendar counts: every hour (continuous), or the owner's working time. */
export function countedTime(calendar: Calendar, workingCalendar: WorkingCalendar): WorkingCalendar {
  return calendar === 'continuous' ? { hours: { schedule: 'round_the_clock' }, holidays: new Set() } : workingCalendar;
}

export function addDuration(start: DateTime, isoDuration: string, calendar: Calendar, workingCalendar: WorkingCalendar): DateTime {
  if (calendar === 'working_days') return addWorkingTime(start, isoDuration, workingCalendar);
  const duration = Duration.fromISO(isoDuration);
  if (!duration.isValid) throw new RangeError(`not an ISO 8601 duration: ${isoDuration}`);
  return start.setZone(SLA_ZONE).plus(duration);
}

/** Problems with a duration for a calendar, or null when it is usable. */
export function durationProblem(isoDuration: string, calendar: Calendar): string | null {
  const parsed = parseDuration(isoDuration, { calendarUnits: calendar === 'continuous' });
  if ('problem' in parsed) return parsed.problem;
  return parsed.ms > MAX_SLA_MS ? 'must be at most two years (P2Y)' : null;
}

/** Problems with a supervisor's extension: days, hours or minutes (never months or years), longer than zero. */
export function extensionProblem(isoDuration: string): string | null {
  const parsed = parseDuration(isoDuration, { calendarUnits: false });
  if ('problem' in parsed) return parsed.problem;
  if (parsed.ms <= 0) return 'must be longer than zero';
  return parsed.ms > MAX_SLA_MS ? 'must be at most two years (P2Y)' : null;
}

export function formatJakarta(time: DateTime): string {
  const iso = time.setZone(SLA_ZONE).toISO({ suppressMilliseconds: true });
  if (iso === null) throw new RangeError(`not a representable time: ${time.invalidExplanation}`);
  return iso;
}

export const DEFAULT_ESCALATION: EscalationRung[] = [
  { level: 1, after: 'PT0S', recipient: 'owner' },
  { level: 2, after: 'P1D', recipient: 'supervisor' },
  { level: 3, after: 'P3D', recipient: 'head_of_office' },
];
