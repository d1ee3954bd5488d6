/**
 * `/v1/holidays` and `/v1/working-hours`: the working-time calendars that SLAs counted in working
 * days run on. Everyone may read them; supervisors keep them current, each change audited in the
 * same transaction. A change applies to SLA clocks started afterwards.
 */
import { Router } from 'express';
import { inTransaction, type Pool } from '../../db/pool.js';
import { auditChange } from '../audit-change.js';
import { permit } from '../access.js';
import { actorOf } from '../auth.js';
import { notFound, parseOr400 } from '../problem.js';
import { HolidayBody, HolidayDateParam, HolidayListQuery, WorkingHoursBody, WorkingHoursRoleParam } from '../schemas/calendars.js';

/** Times are shown in Asia/Jakarta, like every other time the API returns. */
const UPDATED = `to_char(updated_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"') AS "updatedAt", updated_by AS "updatedBy"`;
const HOLIDAY_COLUMNS = `date::text AS date, name, kind, legal_basis AS "legalBasis", version, ${UPDATED}`;
const HOURS_COLUMNS = `role, schedule, days, to_char(opens, 'HH24:MI') AS opens, to_char(closes, 'HH24:MI') AS closes, version, ${UPDATED}`;

export function holidayRoutes(pool: Pool): Router {
  const router = Router();

  router.get('/', permit('holiday.list'), async (req, res) => {
    const { year } = parseOr400(HolidayListQuery, req.query, 'query');
    const { rows } = await pool.query(
      `SELECT ${HOLIDAY_COLUMNS} FROM holidays WHERE removed_at IS NULL AND ($1::int IS NULL OR extract(year FROM date) = $1) ORDER BY date`,
      [year ?? null],
    );
    res.json({ items: rows });
  });

  router.put('/:date', permit('holiday.change'), async (req, res) => {
    const actor = actorOf(res);
    const date = parseOr400(HolidayDateParam, req.params.date, 'path');
    const change = parseOr400(HolidayBody, req.body, 'body');
    const holiday = await inTransaction(pool, async (client) => {
      // Creates the day, replaces it, or brings back a removed one.
      const { rows } = await client.query(
        `INSERT INTO holidays (date, name, kind, legal_basis, updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (date) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, legal_basis = EXCLUDED.legal_basis,
           removed_at = NULL, version = holidays.version + 1, updated_at = now(), updated_by = EXCLUDED.updated_by
         RETURNING ${HOLIDAY_COLUMNS}`,
        [date, change.name, change.kind, change.legalBasis, actor.agencyId],
      );
      await auditChange(client, req, actor, {
        entryKey: `holiday/${date}/v${rows[0].version}`,
        action: 'holiday.change',
        target: date,
        body: change,
        details: { date, kind: change.kind, version: rows[0].version },
      });
      return rows[0];
    });
    res.json(holiday);
  });

  router.delete('/:date', permit('holiday.remove'), async (req, res) => {
    const actor = actorOf(res);
    const date = parseOr400(HolidayDateParam, req.params.date, 'path');
    await inTransaction(pool, async (client) => {
      // The row stays, marked removed, so that seeding on the next start does not bring the day back.
      const { rows } = await client.query<{ version: number }>(
        `UPDATE holidays SET removed_at = now(), version = version + 1, updated_at = now(), updated_by = $2
         WHERE date = $1 AND removed_at IS NULL RETURNING version`,
        [date, actor.agencyId],
      );
      if (!rows[0]) throw notFound(`No holiday on ${date}`);
      await auditChange(client, req, actor, {
        entryKey: `holiday/${date}/v${rows[0].version}`,
        action: 'holiday.remove',
        target: date,
        body: {},
        details: { date, version: rows[0].version },
      });
    });
    res.status(204).end();
  });

  return router;
}

export function workingHoursRoutes(pool: Pool): Router {
  const router = Router();

  router.get('/', permit('working_hours.list'), async (_req, res) => {
    const { rows } = await pool.query(`SELECT ${HOURS_COLUMNS} FROM working_hours ORDER BY role`);
    res.json({ items: rows });
  });

  router.put('/:role', permit('working_hours.change'), async (req, res) => {
    const actor = actorOf(res);
    const role = parseOr400(WorkingHoursRoleParam, req.params.role, 'path');
    const change = parseOr400(WorkingHoursBody, req.body, 'body');
    const hours = await inTransaction(pool, async (client) => {
      const { rows } = await client.query(
        `UPDATE working_hours SET schedule = $2, days = $3, opens = $4, closes = $5, version = version + 1, updated_at = now(), updated_by = $6
         WHERE role = $1 RETURNING ${HOURS_COLUMNS}`,
        [role, change.schedule, change.days ?? null, change.opens ?? null, change.closes ?? null, actor.agencyId],
      );
      await auditChange(client, req, actor, {
        entryKey: `working-hours/${role}/v${rows[0].version}`,
        action: 'working_hours.change',
        target: role,
        body: change,
        details: { role, schedule: change.schedule, version: rows[0].version },
      });
      return rows[0];
    });
    res.json(hours);
  });

  return router;
}
