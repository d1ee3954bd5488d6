/**
 * The dashboard's figures from GET /v1/stats, which answers per month (and stage, and owner or
 * region): summed over the months picked, and months without a row filled with zeros.
 */
import type { Stats } from '../api/client';

type StageRow = Stats['stages'][number];

export interface TimeInStage {
  key: string;
  stays: number;
  completed: number;
  avgHours: number | null;
  avgActiveHours: number | null;
  pausedHours: number;
}

export interface Breaches {
  key: string;
  stays: number;
  breached: number;
  /** Percent, one decimal. */
  percent: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Each group's stays over all the months; averages weighted by the stays completed (the API averages those only). */
export function timeInStage(rows: StageRow[]): TimeInStage[] {
  const groups = new Map<string, { stays: number; completed: number; hours: number; active: number; paused: number }>();
  for (const row of rows) {
    const group = groups.get(row.stage) ?? { stays: 0, completed: 0, hours: 0, active: 0, paused: 0 };
    group.stays += row.stays;
    group.completed += row.completed;
    group.hours += (row.avgHours ?? 0) * row.completed;
    group.active += (row.avgActiveHours ?? 0) * row.completed;
    group.paused += row.pausedHours ?? 0;
    groups.set(row.stage, group);
  }
  return [...groups].map(([key, g]) => ({
    key,
    stays: g.stays,
    completed: g.completed,
    avgHours: g.completed ? round(g.hours / g.completed, 1) : null,
    avgActiveHours: g.completed ? round(g.active / g.completed, 1) : null,
    pausedHours: round(g.paused, 1),
  }));
}

/** Breaches per group (a stage, an owning role, a region) over all the months and stages. */
export function breaches<Row extends StageRow>(rows: Row[], groupOf: (row: Row) => string): Breaches[] {
  const groups = new Map<string, { stays: number; breached: number }>();
  for (const row of rows) {
    const key = groupOf(row);
    const group = groups.get(key) ?? { stays: 0, breached: 0 };
    group.stays += row.stays;
    group.breached += row.breached;
    groups.set(key, group);
  }
  return [...groups].map(([key, g]) => ({ key, ...g, percent: g.stays ? round((100 * g.breached) / g.stays, 1) : 0 }));
}

/** Every month from `from` to `to` (YYYY-MM), both included. */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 600; guard++) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > to) break;
    months.push(current);
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return months;
}

export function repatriationsByMonth(stats: Stats): { month: string; repatriations: number }[] {
  const counted = new Map(stats.repatriationsByMonth.map((row) => [row.month, row.repatriations]));
  return monthsBetween(stats.from, stats.to).map((month) => ({ month, repatriations: counted.get(month) ?? 0 }));
}

/** Every UPT's admissions, releases and beds occupied at the month's end, added up per month. */
export function occupancyByMonth(stats: Stats): { month: string; admitted: number; released: number; occupied: number }[] {
  return monthsBetween(stats.from, stats.to).map((month) => {
    const rows = stats.occupancyByMonth.filter((row) => row.month === month);
    const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
    return { month, admitted: sum((r) => r.admitted), released: sum((r) => r.released), occupied: sum((r) => r.occupiedAtMonthEnd) };
  });
}

/** This month in Asia/Jakarta (UTC+7, no daylight saving), as YYYY-MM. */
export function thisMonth(now = Date.now()): string {
  return new Date(now + 7 * 3_600_000).toISOString().slice(0, 7);
}

/** The month `count` months before `month` (YYYY-MM). */
export function monthsBefore(month: string, count: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) - count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
