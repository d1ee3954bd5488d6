/** `/v1/upts`: every provincial UPT with its capacity, occupied and reserved beds. */
import { Router } from 'express';
import type { Pool } from '../../db/pool.js';
import { permit } from '../access.js';

export function uptRoutes(pool: Pool): Router {
  const router = Router();
  router.get('/', permit('upt.list'), async (_req, res) => {
    const { rows } = await pool.query(
      `SELECT u.code, u.name, u.city, u.region_code AS "regionCode",
         coalesce((SELECT array_agg(s.ppks_type ORDER BY s.ppks_type) FROM upt_serves s WHERE s.upt_code = u.code), '{}') AS serves,
         u.capacity, u.capacity_reported AS "capacityReported",
         (SELECT count(*)::int FROM bed_reservations b WHERE b.upt_code = u.code AND b.status = 'admitted') AS occupied,
         (SELECT count(*)::int FROM bed_reservations b WHERE b.upt_code = u.code AND b.status = 'reserved') AS reserved
       FROM upts u ORDER BY u.code`,
    );
    res.json({ items: rows });
  });
  return router;
}
