/**
 * `/v1/stats`: how long cases stay in each stage, how often each stage breaches its SLA (by
 * owning role and by the region the person was found in), and the paused time, per month of
 * entering the stage (Asia/Jakarta); repatriations and UPT occupancy per month. Aggregates only:
 * no personal data, no case numbers.
 */
import { Router } from 'express';
import type { Pool } from '../../db/pool.js';
import { permit } from '../access.js';
import { parseOr400 } from '../problem.js';
import { StatsQuery } from '../schemas/stats.js';

/** Every stay in a stage of every case in the index, with its month. */
const STAYS = `
  SELECT to_char(s."enteredAt" AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM') AS month, s.stage, s."ownerRole" AS owner_role,
    c.found_region, s.breached, s."pausedMs" AS paused_ms, s."enteredAt" AS entered_at, s."leftAt" AS left_at
  FROM cases c,
    jsonb_to_recordset(coalesce(c.view->'stays', '[]'::jsonb))
      AS s(stage text, "enteredAt" timestamptz, "leftAt" timestamptz, "ownerRole" text, breached boolean, "pausedMs" bigint)`;

const hours = (ms: string) => `round((${ms}) / 3600000.0, 2)::float`;
const MEASURES = `count(*)::int AS stays, count(left_at)::int AS completed,
  ${hours('avg(extract(epoch FROM left_at - entered_at) * 1000)')} AS "avgHours",
  ${hours('avg(extract(epoch FROM left_at - entered_at) * 1000 - paused_ms) FILTER (WHERE left_at IS NOT NULL)')} AS "avgActiveHours",
  ${hours('sum(paused_ms)')} AS "pausedHours",
  count(*) FILTER (WHERE breached)::int AS breached,
  round(count(*) FILTER (WHERE breached)::numeric / count(*), 4)::float AS "breachRate"`;

/** A repatriation is a repatriation stay followed by follow-up: the person was handed over. */
const REPATRIATIONS = `
  SELECT to_char((r.stay->>'leftAt')::timestamptz AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM') AS month, count(*)::int AS repatriations
  FROM cases c, jsonb_array_elements(coalesce(c.view->'stays', '[]'::jsonb)) WITH ORDINALITY AS r(stay, n)
  WHERE r.stay->>'stage' = 'repatriation' AND c.view->'stays'->(r.n::int)->>'stage' = 'follow_up'
    AND to_char((r.stay->>'leftAt')::timestamptz AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM') BETWEEN $1 AND $2
  GROUP BY 1 ORDER BY 1`;

/** Beds occupied (admitted, not yet released) per UPT and month in Asia/Jakarta, from the reservations. */
const OCCUPANCY = `
  WITH months AS (
    SELECT to_char(m, 'YYYY-MM') AS month, m AT TIME ZONE 'Asia/Jakarta' AS starts, (m + interval '1 month') AT TIME ZONE 'Asia/Jakarta' AS ends
    FROM generate_series(to_date($1, 'YYYY-MM')::timestamp, to_date($2, 'YYYY-MM')::timestamp, interval '1 month') AS m)
  SELECT m.month, b.upt_code AS "uptCode",
    count(*) FILTER (WHERE b.admitted_at >= m.starts)::int AS admitted,
    count(*) FILTER (WHERE b.released_at < m.ends)::int AS released,
    count(*) FILTER (WHERE b.released_at IS NULL OR b.released_at >= m.ends)::int AS "occupiedAtMonthEnd"
  FROM months m
  JOIN bed_reservations b ON b.admitted_at < m.ends AND (b.released_at IS NULL OR b.released_at >= m.starts)
  GROUP BY m.month, b.upt_code ORDER BY m.month, b.upt_code`;

export function statsRoutes(pool: Pool): Router {
  const router = Router();

  router.get('/', permit('stats.read'), async (req, res) => {
    const { from, to } = parseOr400(StatsQuery, req.query, 'query');
    /** The measures per month and stage, and per `by` column when given. */
    const grouped = async (by?: { column: string; as: string }) => {
      const keys = ['month', 'stage', ...(by ? [by.column] : [])].join(', ');
      const { rows } = await pool.query(
        `WITH stays AS (${STAYS})
         SELECT month, stage, ${by ? `${by.column} AS "${by.as}",` : ''} ${MEASURES}
         FROM stays WHERE month BETWEEN $1 AND $2 GROUP BY ${keys} ORDER BY ${keys}`,
        [from, to],
      );
      return rows;
    };
    res.json({
      from,
      to,
      stages: await grouped(),
      byOwnerRole: await grouped({ column: 'owner_role', as: 'ownerRole' }),
      byFoundRegion: await grouped({ column: 'found_region', as: 'foundRegion' }),
      repatriationsByMonth: (await pool.query(REPATRIATIONS, [from, to])).rows,
      occupancyByMonth: (await pool.query(OCCUPANCY, [from, to])).rows,
    });
  });

  return router;
}
