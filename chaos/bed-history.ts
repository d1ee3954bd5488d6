/**
 * The beds over the run, not only at its end: `bed_reservations` has one row per case (its key),
 * so a case reserved twice in a row (a bed released and taken again, or a retried reservation
 * that overwrote the first) leaves one row at the end. Sampled every half second while the
 * cases run, each case's distinct reservations (by `reserved_at`) and every bed class's live
 * beds against its capacity are kept; the beds check (chaos/database-checks.ts) holds them to
 * one reservation per case and no class over its beds at any sample.
 */
import type { Pool } from '../db/pool.js';

export interface BedRow {
  case_number: string;
  upt_code: string;
  status: string;
  reserved_at: string;
}

export interface ClassRow {
  upt_code: string;
  sex: string;
  age_group: string;
  beds: number;
  live: number;
}

export interface BedHistory {
  samples: number;
  /** Samples that failed (PostgreSQL down). */
  missed: number;
  /** Case -> the distinct reservations seen (upt and reserved_at). */
  reservations: Map<string, Set<string>>;
  /** Bed classes seen over their capacity: class -> the most people seen in it, and its beds. */
  overbooked: Map<string, { beds: number; live: number; atMs: number }>;
}

export const emptyHistory = (): BedHistory => ({ samples: 0, missed: 0, reservations: new Map(), overbooked: new Map() });

/** Adds one sample to the history. */
export function addSample(history: BedHistory, beds: BedRow[], classes: ClassRow[], atMs: number): void {
  history.samples++;
  for (const row of beds) {
    const seen = history.reservations.get(row.case_number) ?? new Set<string>();
    seen.add(`${row.upt_code} at ${row.reserved_at}`);
    history.reservations.set(row.case_number, seen);
  }
  for (const row of classes) {
    if (row.live <= row.beds) continue;
    const key = `${row.upt_code} ${row.sex}/${row.age_group}`;
    const worst = history.overbooked.get(key);
    if (!worst || row.live > worst.live) history.overbooked.set(key, { beds: row.beds, live: row.live, atMs });
  }
}

/** The cases reserved more than once over the run. */
export const reservedTwice = (history: BedHistory): [string, string[]][] =>
  [...history.reservations].filter(([, seen]) => seen.size > 1).map(([caseNumber, seen]) => [caseNumber, [...seen]]);

/** Samples the beds every `everyMs` until stopped. */
export function sampleBeds(pool: Pool, startedAt: number, everyMs = 500): { stop: () => Promise<BedHistory> } {
  const history = emptyHistory();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const atMs = Date.now() - startedAt;
      try {
        const [beds, classes] = await Promise.all([
          pool.query<BedRow>(
            `SELECT case_number, upt_code, status, to_char(reserved_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS reserved_at FROM bed_reservations`,
          ),
          pool.query<ClassRow>(
            `SELECT c.upt_code, c.sex, c.age_group, c.beds, count(b.case_number)::int AS live
             FROM upt_capacity c LEFT JOIN bed_reservations b
               ON b.upt_code = c.upt_code AND b.sex = c.sex AND b.age_group = c.age_group AND b.status <> 'released'
             GROUP BY c.upt_code, c.sex, c.age_group, c.beds`,
          ),
        ]);
        addSample(history, beds.rows, classes.rows, atMs);
      } catch {
        history.missed++;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return history;
    },
  };
}
