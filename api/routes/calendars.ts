/**
 * `/v1/holidays` and `/v1/working-hours`: the working-time calendars that SLAs counted in working
 * days run on. Everyone may read them; supervisors keep them current, each change audited in the
 * same transaction. A change applies to SLA clocks started afterwards.
 */
import { Router } from 'express';
import type pg from 'pg';
import { inTransaction, type Pool } from '../../db/pool.js';
import { auditChange } from '../audit-change.js';
import { permit } from '../access.js';
import { actorOf } from '../auth.js';
import { allowedVersions, ifMatchOf, preconditionFailed, withEtag } from '../etags.js';
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

  router.get('/:date', permit('holiday.read'), async (req, res) => {
    const date = parseOr400(HolidayDateParam, req.params.date, 'path');
    const { rows } = await pool.query(`SELECT ${HOLIDAY_COLUMNS} FROM holidays WHERE date = $1 AND removed_at IS NULL`, [date]);
    if (!rows[0]) throw notFound(`No holiday on ${date}`);
    withEtag(res, rows[0].version).json(rows[0]);
  });

  router.put('/:date', permit('holiday.change'), async (req, res) => {
    const actor = actorOf(res);
    const date = parseOr400(HolidayDateParam, req.params.date, 'path');
    const change = parseOr400(HolidayBody, req.body, 'body');
    const ifMatch = ifMatchOf(req);
    const holiday = await inTransaction(pool, async (client) => {
      const values = [date, change.name, change.kind, change.legalBasis, actor.agencyId];
      // Without If-Match: creates the day, replaces it, or brings back a removed one. With it: replaces the
      // day only at a version it names (a removed day has none), so of two changes sent with the same ETag
      // the second finds the row moved on.
      const { rows } =
        ifMatch === undefined
          ? await client.query(
              `INSERT INTO holidays (date, name, kind, legal_basis, updated_by) VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (date) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, legal_basis = EXCLUDED.legal_basis,
                 removed_at = NULL, version = holidays.version + 1, updated_at = now(), updated_by = EXCLUDED.updated_by
               RETURNING ${HOLIDAY_COLUMNS}`,
              values,
            )
          : await client.query(
              `UPDATE holidays SET name = $2, kind = $3, legal_basis = $4, version = version + 1, updated_at = now(), updated_by = $5
               WHERE date = $1 AND removed_at IS NULL AND ($6::int[] IS NULL OR version = ANY($6::int[]))
               RETURNING ${HOLIDAY_COLUMNS}`,
              [...values, allowedVersions(ifMatch)],
            );
      if (!rows[0]) {
        const current = await client.query('SELECT version FROM holidays WHERE date = $1 AND removed_at IS NULL', [date]);
        throw preconditionFailed(`The holiday on ${date}`, current.rows[0]?.version);
      }
      await auditChange(client, req, actor, {
        entryKey: `holiday/${date}/v${rows[0].version}`,
        action: 'holiday.change',
        target: date,
        body: change,
        details: { date, kind: change.kind, version: rows[0].version },
      });
      return rows[0];
    });
    withEtag(res, holiday.version).json(holiday);
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

  router.get('/:role', permit('working_hours.read'), async (req, res) => {
    const role = parseOr400(WorkingHoursRoleParam, req.params.role, 'path');
    const hours = await hoursOf(pool, role);
    if (!hours) throw notFound(`No working hours for ${role}`);
    withEtag(res, hours.version).json(hours);
  });

  router.put('/:role', permit('working_hours.change'), async (req, res) => {
    const actor = actorOf(res);
    const role = parseOr400(WorkingHoursRoleParam, req.params.role, 'path');
    const change = parseOr400(WorkingHoursBody, req.body, 'body');
    const ifMatch = ifMatchOf(req);
    const hours = await inTransaction(pool, async (client) => {
      // Only at a version If-Match names: of two changes sent with the same ETag, the second finds the row moved on.
      const { rows } = await client.query(
        `UPDATE working_hours SET schedule = $2, days = $3, opens = $4, closes = $5, version = version + 1, updated_at = now(), updated_by = $6
         WHERE role = $1 AND ($7::int[] IS NULL OR version = ANY($7::int[])) RETURNING ${HOURS_COLUMNS}`,
        [role, change.schedule, change.days ?? null, change.opens ?? null, change.closes ?? null, actor.agencyId, allowedVersions(ifMatch)],
      );
      if (!rows[0]) {
        const current = await hoursOf(client, role);
        if (!current) throw notFound(`No working hours for ${role}`);
        throw preconditionFailed(`The working hours of ${role}`, current.version);
      }
      await auditChange(client, req, actor, {
        entryKey: `working-hours/${role}/v${rows[0].version}`,
        action: 'working_hours.change',
        target: role,
        body: change,
        details: { role, schedule: change.schedule, version: rows[0].version },
      });
      return rows[0];
    });
    withEtag(res, hours.version).json(hours);
  });

  return router;
}

/** A role's working hours as the API shows them. */
async function hoursOf(db: Pool | pg.PoolClient, role: string): Promise<{ version: number } | undefined> {
  const { rows } = await db.query<{ version: number }>(`SELECT ${HOURS_COLUMNS} FROM working_hours WHERE role = $1`, [role]);
  return rows[0];
}
