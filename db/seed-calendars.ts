/**
 * Seeds the working-time calendars: the holidays of db/seed/holidays.json and the default working
 * hours per role. Each row is inserted only when missing, so a supervisor's edit (or removal: the
 * row stays, marked removed) survives every restart, as SLA policies do.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { projectRoot } from '../config.js';
import { DEFAULT_WORKING_HOURS, WORKING_HOURS_ROLES } from '../domain/working-time.js';

interface HolidaySeed {
  date: string;
  name: string;
  kind: 'national_holiday' | 'cuti_bersama';
  legalBasis: string;
}

export async function seedCalendars(client: pg.PoolClient): Promise<void> {
  const { holidays } = JSON.parse(readFileSync(path.join(projectRoot, 'db', 'seed', 'holidays.json'), 'utf8')) as {
    holidays: HolidaySeed[];
  };
  for (const holiday of holidays) {
    await client.query(
      `INSERT INTO holidays (date, name, kind, legal_basis, updated_by) VALUES ($1, $2, $3, $4, 'seed') ON CONFLICT (date) DO NOTHING`,
      [holiday.date, holiday.name, holiday.kind, holiday.legalBasis],
    );
  }
  for (const role of WORKING_HOURS_ROLES) {
    const hours = DEFAULT_WORKING_HOURS(role);
    const office = hours.schedule === 'office_hours' ? hours : null;
    await client.query(
      `INSERT INTO working_hours (role, schedule, days, opens, closes, updated_by) VALUES ($1, $2, $3, $4, $5, 'seed')
       ON CONFLICT (role) DO NOTHING`,
      [role, hours.schedule, office?.days ?? null, office?.opens ?? null, office?.closes ?? null],
    );
  }
}
