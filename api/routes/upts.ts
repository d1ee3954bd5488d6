/**
 * `/v1/upts`: the UPT registry (what each UPT serves, its beds per sex and age group) with its
 * occupancy. Everyone may read it; supervisors keep it current, each change audited in the same
 * transaction.
 */
import { Router } from 'express';
import type pg from 'pg';
import type { z } from 'zod';
import { inTransaction, type Pool } from '../../db/pool.js';
import { auditChange } from '../audit-change.js';
import { permit } from '../access.js';
import { actorOf } from '../auth.js';
import { allowedVersions, ifMatchOf, preconditionFailed, withEtag } from '../etags.js';
import { notFound, parseOr400 } from '../problem.js';
import { UptBody, UptCodeParam } from '../schemas/upts.js';

/** Live reservations of a bed class; old ones without a class show only in the UPT's totals. */
const inClass = (status: string) =>
  `(SELECT count(*)::int FROM bed_reservations b WHERE b.upt_code = c.upt_code AND b.sex = c.sex AND b.age_group = c.age_group AND b.status = '${status}')`;

/** Each UPT as GET /v1/upts shows it; `capacity` is the sum of its beds. */
const UPT_ROWS = `
  SELECT u.code, u.name, u.city, u.region_code AS "regionCode",
    ARRAY(SELECT s.ppks_type FROM upt_serves s WHERE s.upt_code = u.code ORDER BY s.ppks_type) AS serves,
    ARRAY(SELECT n.need FROM upt_needs n WHERE n.upt_code = u.code ORDER BY n.need) AS needs,
    (SELECT coalesce(sum(c.beds), 0)::int FROM upt_capacity c WHERE c.upt_code = u.code) AS capacity,
    u.capacity_reported AS "capacityReported",
    coalesce((SELECT json_agg(json_build_object('sex', c.sex, 'ageGroup', c.age_group, 'beds', c.beds,
        'occupied', ${inClass('admitted')}, 'reserved', ${inClass('reserved')})
      ORDER BY array_position(ARRAY['child', 'adult', 'elderly'], c.age_group), c.sex DESC)
      FROM upt_capacity c WHERE c.upt_code = u.code), '[]') AS "capacityByClass",
    (SELECT count(*)::int FROM bed_reservations b WHERE b.upt_code = u.code AND b.status = 'admitted') AS occupied,
    (SELECT count(*)::int FROM bed_reservations b WHERE b.upt_code = u.code AND b.status = 'reserved') AS reserved,
    (SELECT count(DISTINCT m.case_number)::int FROM placement_waiting_matches m WHERE m.upt_code = u.code) AS waiting,
    u.version
  FROM upts u`;

export function uptRoutes(pool: Pool): Router {
  const router = Router();

  router.get('/', permit('upt.list'), async (_req, res) => {
    const { rows } = await pool.query(`${UPT_ROWS} ORDER BY u.code`);
    res.json({ items: rows });
  });

  router.get('/:code', permit('upt.read'), async (req, res) => {
    const code = parseOr400(UptCodeParam, req.params.code, 'path');
    const { rows } = await pool.query<{ version: number }>(`${UPT_ROWS} WHERE u.code = $1`, [code]);
    if (!rows[0]) throw notFound(`No UPT ${code}`);
    // The ETag versions the registry entry (what PUT replaces), not the live bed counts: never a 304 on it.
    delete req.headers['if-none-match'];
    withEtag(res, rows[0].version).json(rows[0]);
  });

  router.put('/:code', permit('upt.change'), async (req, res) => {
    const actor = actorOf(res);
    const code = parseOr400(UptCodeParam, req.params.code, 'path');
    const change = parseOr400(UptBody, req.body, 'body');
    const ifMatch = ifMatchOf(req);
    const result = await inTransaction(pool, async (client) => {
      // Locks the row: a reservation counting this UPT's beds waits for the new registry entry. Only at
      // a version If-Match names: of two changes sent with the same ETag, the second finds the row moved on.
      const updated = await client.query<{ version: number }>(
        `UPDATE upts SET name = coalesce($2, name), region_code = CASE WHEN $3 THEN $4 ELSE region_code END,
           version = version + 1, updated_at = now(), updated_by = $5
         WHERE code = $1 AND ($6::int[] IS NULL OR version = ANY($6::int[])) RETURNING version`,
        [code, change.name ?? null, change.regionCode !== undefined, change.regionCode ?? null, actor.agencyId, allowedVersions(ifMatch)],
      );
      if (!updated.rows[0]) {
        const current = await client.query<{ version: number }>('SELECT version FROM upts WHERE code = $1', [code]);
        if (!current.rows[0]) throw notFound(`No UPT ${code}`);
        throw preconditionFailed(`UPT ${code}`, current.rows[0].version);
      }
      await replaceRegistry(client, code, change);
      const { rows } = await client.query(`${UPT_ROWS} WHERE u.code = $1`, [code]);
      const overCapacity = await classesOverCapacity(client, code);
      await auditChange(client, req, actor, {
        entryKey: `upt/${code}/v${updated.rows[0].version}`,
        action: 'upt.change',
        target: code,
        body: change,
        details: {
          upt: code,
          version: updated.rows[0].version,
          beds: change.capacity.reduce((sum, c) => sum + c.beds, 0),
          overCapacity: overCapacity.length,
        },
      });
      return { ...rows[0], overCapacity };
    });
    withEtag(res, result.version).json(result);
  });

  return router;
}

/** What the UPT serves, its needs and its beds per class become exactly what the body says. */
async function replaceRegistry(client: pg.PoolClient, code: string, change: z.output<typeof UptBody>): Promise<void> {
  await client.query('DELETE FROM upt_serves WHERE upt_code = $1', [code]);
  await client.query('INSERT INTO upt_serves (upt_code, ppks_type) SELECT $1, unnest($2::text[])', [code, change.serves]);
  await client.query('DELETE FROM upt_needs WHERE upt_code = $1', [code]);
  await client.query('INSERT INTO upt_needs (upt_code, need) SELECT $1, unnest($2::text[])', [code, change.needs]);
  await client.query('DELETE FROM upt_capacity WHERE upt_code = $1', [code]);
  await client.query(
    `INSERT INTO upt_capacity (upt_code, sex, age_group, beds) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[])`,
    [code, change.capacity.map((c) => c.sex), change.capacity.map((c) => c.ageGroup), change.capacity.map((c) => c.beds)],
  );
}

/**
 * Classes now holding more live reservations than beds (a class left out counts as 0 beds).
 * Allowed: nobody is moved out, the class just takes no one until enough beds free up.
 */
async function classesOverCapacity(client: pg.PoolClient, code: string) {
  const { rows } = await client.query<{ sex: string; ageGroup: string; beds: number; occupied: number; reserved: number }>(
    `SELECT b.sex, b.age_group AS "ageGroup", coalesce(c.beds, 0) AS beds,
       count(*) FILTER (WHERE b.status = 'admitted')::int AS occupied, count(*) FILTER (WHERE b.status = 'reserved')::int AS reserved
     FROM bed_reservations b LEFT JOIN upt_capacity c ON c.upt_code = b.upt_code AND c.sex = b.sex AND c.age_group = b.age_group
     WHERE b.upt_code = $1 AND b.status <> 'released' AND b.sex IS NOT NULL
     GROUP BY b.sex, b.age_group, c.beds HAVING count(*) > coalesce(c.beds, 0)
     ORDER BY b.age_group, b.sex`,
    [code],
  );
  return rows;
}
