/**
 * Placement under concurrency against real PostgreSQL: 50 cases race for the 10 beds of one
 * class, and beds that free up go to the longest-waiting cases in order. Uses a UPT of its own
 * serving korban_trafficking, which no seeded UPT and no other test file uses; removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { bedActivities, type BedRequest } from '../../activities/database/beds.js';
import { createPool, type Pool } from '../../db/pool.js';

const run = randomUUID().slice(0, 8);
const UPT = `test_race_${run}`;
const caseNumber = (i: number) => `prace-${run}-${String(i).padStart(2, '0')}`;
let pool: Pool;
let beds: ReturnType<typeof bedActivities>;

beforeAll(async () => {
  pool = createPool(inject('databaseUrl'), 20);
  beds = bedActivities(pool);
  await pool.query(
    `INSERT INTO upts (code, name, city, region_code, capacity, capacity_reported) VALUES ($1, 'Race test UPT', 'Sidoarjo', '35.15', 10, true)`,
    [UPT],
  );
  await pool.query(`INSERT INTO upt_serves (upt_code, ppks_type) VALUES ($1, 'korban_trafficking')`, [UPT]);
  // Women's adult beds only: men, and anyone needing psychiatric care, find no bed here.
  await pool.query(`INSERT INTO upt_capacity (upt_code, sex, age_group, beds) VALUES ($1, 'F', 'adult', 10), ($1, 'F', 'child', 0)`, [UPT]);
});

afterAll(async () => {
  await pool.query('DELETE FROM placement_waitlist WHERE case_number LIKE $1', [`prace-${run}-%`]);
  await pool.query('DELETE FROM bed_reservations WHERE upt_code = $1', [UPT]);
  await pool.query('DELETE FROM upts WHERE code = $1', [UPT]);
  await pool.end();
});

const request = (i: number, extra: Partial<BedRequest> = {}): BedRequest => ({
  caseNumber: caseNumber(i),
  ppksType: 'korban_trafficking',
  preferredRegion: '35.78',
  sex: 'F',
  estimatedAge: 25,
  needs: [],
  ...extra,
});

async function waitlist(): Promise<string[]> {
  const { rows } = await pool.query<{ case_number: string }>(
    'SELECT case_number FROM placement_waitlist WHERE case_number LIKE $1 ORDER BY waiting_since',
    [`prace-${run}-%`],
  );
  return rows.map((row) => row.case_number);
}

it('gives the 10 beds to 10 of 50 racing cases, queues the other 40, then lets them in in the order they queued', async () => {
  const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => beds.reserveBed(request(i))));
  expect(outcomes.filter((o) => o.reserved)).toHaveLength(10);
  expect(new Set(outcomes.filter((o) => o.reserved).map((o) => o.reserved && o.uptCode))).toEqual(new Set([UPT]));
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM bed_reservations WHERE upt_code = $1 AND status <> 'released'`, [UPT]);
  expect(rows[0].n).toBe(10);
  const queue = await waitlist();
  expect(queue).toHaveLength(40);
  const holders = outcomes.flatMap((o, i) => (o.reserved ? [caseNumber(i)] : []));
  expect(queue.filter((n) => holders.includes(n))).toEqual([]);

  // Asking again while every bed is taken changes nothing, and keeps each case's place.
  const again = await Promise.all(queue.map((n) => beds.reserveBed(request(Number(n.slice(-2))))));
  expect(again.filter((o) => o.reserved)).toEqual([]);
  expect(await waitlist()).toEqual(queue);

  // Three beds free up. Later cases ask first (and all at once): none jumps the queue.
  for (const holder of holders.slice(0, 3)) await beds.releaseBed(holder);
  const later = queue.slice(3);
  expect((await Promise.all(later.map((n) => beds.reserveBed(request(Number(n.slice(-2))))))).filter((o) => o.reserved)).toEqual([]);
  // The three longest-waiting get them, in order, on their next attempt.
  for (const n of queue.slice(0, 3)) {
    expect(await beds.reserveBed(request(Number(n.slice(-2))))).toEqual({ reserved: true, uptCode: UPT });
  }
  expect(await waitlist()).toEqual(later);
  expect((await beds.reserveBed(request(Number(later[0]!.slice(-2))))).reserved).toBe(false);
});

it("places no one in a class or with needs the UPT does not serve, and doesn't let them hold up the queue", async () => {
  const man = 60;
  const psychiatric = 61;
  expect((await beds.reserveBed(request(man, { sex: 'M' }))).reserved).toBe(false);
  expect((await beds.reserveBed(request(psychiatric, { needs: ['psychiatric'] }))).reserved).toBe(false);
  // Neither could take a woman's bed here, so neither is queued ahead of a woman who comes later.
  const matches = await pool.query('SELECT case_number FROM placement_waiting_matches WHERE case_number = ANY($1)', [
    [caseNumber(man), caseNumber(psychiatric)],
  ]);
  expect(matches.rows).toEqual([]);
  await pool.query('DELETE FROM placement_waitlist WHERE case_number LIKE $1', [`prace-${run}-%`]);
  const holder = (await pool.query(`SELECT case_number FROM bed_reservations WHERE upt_code = $1 AND status <> 'released' LIMIT 1`, [UPT]))
    .rows[0].case_number;
  await beds.releaseBed(holder);
  expect(await beds.reserveBed(request(62))).toEqual({ reserved: true, uptCode: UPT });
});
