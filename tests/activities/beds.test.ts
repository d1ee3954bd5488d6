/**
 * Bed reservations against real PostgreSQL under concurrency. Uses anak_berhadapan_hukum,
 * which only UPT PRSMP Surabaya serves (no other test touches it): without an age the person
 * takes a child's bed, of either sex without a sex.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { bedActivities } from '../../activities/database/beds.js';
import { createPool, type Pool } from '../../db/pool.js';

const UPT = 'upt_prsmp_surabaya';
let pool: Pool;
let beds: ReturnType<typeof bedActivities>;
let seeded: { sex: string; age_group: string; beds: number }[];

beforeAll(async () => {
  pool = createPool(inject('databaseUrl'), 20);
  beds = bedActivities(pool);
  seeded = (await pool.query('SELECT sex, age_group, beds FROM upt_capacity WHERE upt_code = $1', [UPT])).rows;
  // 5 children's beds in all: 3 for boys, 2 for girls.
  await pool.query(`UPDATE upt_capacity SET beds = CASE sex WHEN 'M' THEN 3 ELSE 2 END WHERE upt_code = $1 AND age_group = 'child'`, [UPT]);
});

afterAll(async () => {
  for (const row of seeded) {
    await pool.query('UPDATE upt_capacity SET beds = $4 WHERE upt_code = $1 AND sex = $2 AND age_group = $3', [
      UPT,
      row.sex,
      row.age_group,
      row.beds,
    ]);
  }
  await pool.end();
});

const request = (caseNumber: string) => ({ caseNumber, ppksType: 'anak_berhadapan_hukum', preferredRegion: '35.78' });

it('gives 5 beds to 20 cases racing for them, and tells the rest to wait', async () => {
  const run = randomUUID().slice(0, 8);
  const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => beds.reserveBed(request(`race-${run}-${i}`))));
  expect(outcomes.filter((o) => o.reserved)).toHaveLength(5);
  expect(outcomes.filter((o) => !o.reserved)).toEqual(Array(15).fill({ reserved: false, recheckAfterMs: 1000 }));
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM bed_reservations WHERE upt_code = $1 AND status <> 'released'`, [UPT]);
  expect(rows[0].n).toBe(5);
  const byClass = await pool.query(
    `SELECT sex, age_group, count(*)::int AS n FROM bed_reservations WHERE case_number LIKE $1 GROUP BY sex, age_group ORDER BY sex`,
    [`race-${run}-%`],
  );
  expect(byClass.rows).toEqual([
    { sex: 'F', age_group: 'child', n: 2 },
    { sex: 'M', age_group: 'child', n: 3 },
  ]);

  // Releasing one bed lets exactly one waiting case in.
  const holder = outcomes.findIndex((o) => o.reserved);
  await beds.releaseBed(`race-${run}-${holder}`);
  const waiting = outcomes.map((o, i) => (o.reserved ? null : `race-${run}-${i}`)).filter((n): n is string => n !== null);
  const retried = await Promise.all(waiting.map((n) => beds.reserveBed(request(n))));
  expect(retried.filter((o) => o.reserved)).toHaveLength(1);
  await pool.query(`UPDATE bed_reservations SET status = 'released' WHERE case_number LIKE $1`, [`race-${run}-%`]);
  await pool.query('DELETE FROM placement_waitlist WHERE case_number LIKE $1', [`race-${run}-%`]);
});

it('keeps one reservation per case however often the activity is retried', async () => {
  const caseNumber = `retry-${randomUUID().slice(0, 8)}`;
  const outcomes = await Promise.all(Array.from({ length: 8 }, () => beds.reserveBed(request(caseNumber))));
  expect(new Set(outcomes.map((o) => (o.reserved ? o.uptCode : null)))).toEqual(new Set([UPT]));
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM bed_reservations WHERE case_number = $1', [caseNumber]);
  expect(rows[0].n).toBe(1);
  await beds.admitToBed(caseNumber);
  await beds.releaseBed(caseNumber);
  const after = await pool.query('SELECT status FROM bed_reservations WHERE case_number = $1', [caseNumber]);
  expect(after.rows[0].status).toBe('released');
});
