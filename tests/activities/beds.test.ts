/**
 * Bed reservations against real PostgreSQL under concurrency. Uses anak_berhadapan_hukum,
 * which only UPT PRSMP Surabaya serves (no other test touches it).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { bedActivities } from '../../activities/database/beds.js';
import { createPool, type Pool } from '../../db/pool.js';

const UPT = 'upt_prsmp_surabaya';
let pool: Pool;
let beds: ReturnType<typeof bedActivities>;

beforeAll(async () => {
  pool = createPool(inject('databaseUrl'), 20);
  beds = bedActivities(pool);
  await pool.query('UPDATE upts SET capacity = 5 WHERE code = $1', [UPT]);
});

afterAll(async () => {
  await pool.query('UPDATE upts SET capacity = 40 WHERE code = $1', [UPT]);
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

  // Releasing one bed lets exactly one waiting case in.
  const holder = outcomes.findIndex((o) => o.reserved);
  await beds.releaseBed(`race-${run}-${holder}`);
  const waiting = outcomes.map((o, i) => (o.reserved ? null : `race-${run}-${i}`)).filter((n): n is string => n !== null);
  const retried = await Promise.all(waiting.map((n) => beds.reserveBed(request(n))));
  expect(retried.filter((o) => o.reserved)).toHaveLength(1);
  await pool.query(`UPDATE bed_reservations SET status = 'released' WHERE case_number LIKE $1`, [`race-${run}-%`]);
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
