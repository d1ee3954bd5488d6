/**
 * The one reading of an ISO 8601 duration that an agency or a supervisor sends: whole,
 * non-negative numbers only, checked and then applied as the same value. Luxon alone reads
 * `P10000YT-87599976H` as about a day (and so passed a 24-hour check that PostgreSQL then applied
 * as years) and `PT60,5S` as 60.5 s (which PostgreSQL refused with a 500).
 */
import { Duration } from 'luxon';

const GRAMMAR =
  /^P(?=\d|T\d)(?:(\d{1,9})Y)?(?:(\d{1,9})M)?(?:(\d{1,9})W)?(?:(\d{1,9})D)?(?:T(?=\d)(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})S)?)?$/;

export type ParsedDuration = { duration: Duration; ms: number } | { problem: string };

/**
 * `calendarUnits`: whether years, months and weeks make sense here (a continuous SLA may last a
 * month; a snooze, an extension or a working-day SLA counts days, hours and minutes).
 */
export function parseDuration(text: string, { calendarUnits }: { calendarUnits: boolean }): ParsedDuration {
  const parts = GRAMMAR.exec(text);
  if (!parts) {
    return {
      problem: calendarUnits
        ? 'must be an ISO 8601 duration of whole units such as P1M, P2D, PT4H or PT30M'
        : 'must be an ISO 8601 duration of whole days, hours and minutes such as P2D, PT4H or PT30M',
    };
  }
  const [years, months, weeks, days, hours, minutes, seconds] = parts.slice(1).map((part) => Number(part ?? 0)) as number[];
  if (!calendarUnits && (years || months || weeks)) return { problem: 'must count days, hours and minutes, not months, weeks or years' };
  const duration = Duration.fromObject({ years, months, weeks, days, hours, minutes, seconds });
  return { duration, ms: duration.toMillis() };
}
