/**
 * The provincial UPTs from db/seed/upts.json. A UPT is refreshed from the seed until a supervisor
 * edits it (PUT /v1/upts/{code}); from then on the registry row is theirs and survives restarts.
 * Beds per class are derived from the reported total (see seedBedClasses) and only inserted
 * where missing.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { config, projectRoot } from '../config.js';
import { seedBedClasses } from '../domain/bed-class.js';

interface UptSeed {
  code: string;
  name: string;
  city: string;
  regionCode: string | null;
  serves: string[];
  needs: string[];
  capacity: number | null;
  capacityNote: string | null;
  source: string | null;
}

export async function seedUpts(client: pg.PoolClient): Promise<void> {
  const { upts } = JSON.parse(readFileSync(path.join(projectRoot, 'db', 'seed', 'upts.json'), 'utf8')) as { upts: UptSeed[] };
  for (const upt of upts) {
    const capacity = upt.capacity ?? config.defaultUptCapacity;
    const { rows } = await client.query<{ updated_by: string | null }>(
      `INSERT INTO upts (code, name, city, region_code, capacity, capacity_reported, capacity_note, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, city = EXCLUDED.city, region_code = EXCLUDED.region_code,
         capacity_note = EXCLUDED.capacity_note, source = EXCLUDED.source
         WHERE upts.updated_by IS NULL
       RETURNING updated_by`,
      [upt.code, upt.name, upt.city, upt.regionCode, capacity, upt.capacity !== null, upt.capacityNote, upt.source],
    );
    if (!rows[0]) continue; // edited by a supervisor: left as they set it
    for (const ppksType of upt.serves) {
      await client.query('INSERT INTO upt_serves (upt_code, ppks_type) VALUES ($1, $2) ON CONFLICT DO NOTHING', [upt.code, ppksType]);
    }
    for (const need of upt.needs) {
      await client.query('INSERT INTO upt_needs (upt_code, need) VALUES ($1, $2) ON CONFLICT DO NOTHING', [upt.code, need]);
    }
    for (const bed of seedBedClasses(upt.serves, capacity)) {
      await client.query('INSERT INTO upt_capacity (upt_code, sex, age_group, beds) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
        upt.code,
        bed.sex,
        bed.ageGroup,
        bed.beds,
      ]);
    }
  }
}
