/** Reads the working-time calendar of a step's owner: its working hours and the holidays in force. */
import type { Pool } from '../../db/pool.js';
import { OFFICE_HOURS, type WorkingCalendar, type WorkingHours, type WorkingHoursRole } from '../../domain/working-time.js';

/** Without an owner role the clock runs on office hours (the owner of most steps). */
export async function loadWorkingCalendar(pool: Pool, ownerRole?: WorkingHoursRole): Promise<WorkingCalendar> {
  const [hours, holidays] = await Promise.all([
    ownerRole === undefined ? OFFICE_HOURS : loadWorkingHours(pool, ownerRole),
    // Two years of holidays are about fifty rows: reading them all is simpler than picking years.
    pool.query<{ date: string }>('SELECT date::text FROM holidays WHERE removed_at IS NULL'),
  ]);
  return { hours, holidays: new Set(holidays.rows.map((row) => row.date)) };
}

async function loadWorkingHours(pool: Pool, role: WorkingHoursRole): Promise<WorkingHours> {
  const { rows } = await pool.query<{
    schedule: WorkingHours['schedule'];
    days: number[] | null;
    opens: string | null;
    closes: string | null;
  }>(`SELECT schedule, days, to_char(opens, 'HH24:MI') AS opens, to_char(closes, 'HH24:MI') AS closes FROM working_hours WHERE role = $1`, [
    role,
  ]);
  const row = rows[0];
  // Every role is seeded: a missing row is a broken database, retried until it is repaired.
  if (!row) throw new Error(`no working hours for role ${role}`);
  return row.schedule === 'round_the_clock'
    ? { schedule: 'round_the_clock' }
    : { schedule: 'office_hours', days: row.days!, opens: row.opens!, closes: row.closes! };
}
