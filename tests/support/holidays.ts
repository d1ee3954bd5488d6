/** The holidays seeded from db/seed/holidays.json, as the SLA arithmetic receives them. */
import { readFileSync } from 'node:fs';

export function seededHolidays(): ReadonlySet<string> {
  const seed = JSON.parse(readFileSync(new URL('../../db/seed/holidays.json', import.meta.url), 'utf8')) as {
    holidays: { date: string }[];
  };
  return new Set(seed.holidays.map((holiday) => holiday.date));
}
