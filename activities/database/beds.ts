/**
 * UPT beds. A reservation is atomic (the UPT rows serving the type are locked while counting)
 * and there is at most one live reservation per case, so a retried activity reserves nothing twice.
 * A case that finds no bed joins the placement waitlist; beds that free up go to the cases that
 * have waited longest (see chooseBed).
 */
import { inTransaction, type Pool } from '../../db/pool.js';
import type pg from 'pg';
import { Duration } from 'luxon';
import { config } from '../../config.js';
import { ageGroupOf, bedSexesFor, type AgeGroup, type BedSex } from '../../domain/bed-class.js';
import { chooseBed, type BedSeeker, type UptCandidate } from '../../domain/upt-choice.js';

export interface BedRequest {
  caseNumber: string;
  ppksType: string;
  /** The kab/kota where the person was found. */
  preferredRegion: string;
  /** 'M', 'F' or 'unknown'; absent (workflows started before the registry) counts as unknown. */
  sex?: string;
  estimatedAge?: number;
  /** NEEDS from domain/case.ts; the UPT must serve every one. */
  needs?: string[];
}

export type BedOutcome = { reserved: true; uptCode: string } | { reserved: false; recheckAfterMs: number };

export function bedActivities(pool: Pool) {
  return {
    /** The UPT holding the case's bed, or when to ask again because no matching UPT has a bed free for it. */
    async reserveBed(request: BedRequest): Promise<BedOutcome> {
      const seeker = seekerOf(request);
      return inTransaction(pool, async (client) => {
        // Locked in code order so two reservations never wait on each other in a cycle. Every case
        // that could take a bed in a UPT locks that UPT first, waiting ones included.
        const upts = await client.query<{ code: string; region_code: string | null; needs: string[] }>(
          `SELECT u.code, u.region_code, ARRAY(SELECT n.need FROM upt_needs n WHERE n.upt_code = u.code) AS needs
           FROM upts u JOIN upt_serves s ON s.upt_code = u.code AND s.ppks_type = $1
           ORDER BY u.code FOR UPDATE OF u`,
          [request.ppksType],
        );
        // Checked under the UPT locks: a retried attempt running alongside sees the first one's bed.
        const held = await client.query<{ upt_code: string }>(
          `SELECT upt_code FROM bed_reservations WHERE case_number = $1 AND status <> 'released'`,
          [request.caseNumber],
        );
        if (held.rows[0]) return { reserved: true, uptCode: held.rows[0].upt_code };
        const classes = await bedClasses(
          client,
          upts.rows.map((row) => row.code),
          request.caseNumber,
        );
        const choice = chooseBed(
          upts.rows.map((row): UptCandidate => ({
            code: row.code,
            regionCode: row.region_code,
            needs: row.needs,
            classes: classes.get(row.code) ?? [],
          })),
          seeker,
        );
        if (!choice) {
          await joinWaitlist(client, request, seeker);
          return { reserved: false, recheckAfterMs: Duration.fromISO(config.placementRecheckInterval).toMillis() };
        }
        await client.query(
          `INSERT INTO bed_reservations (case_number, upt_code, status, sex, age_group) VALUES ($1, $2, 'reserved', $3, $4)
           ON CONFLICT (case_number) DO UPDATE SET upt_code = EXCLUDED.upt_code, status = 'reserved', sex = EXCLUDED.sex,
             age_group = EXCLUDED.age_group, reserved_at = now(), admitted_at = NULL, released_at = NULL`,
          [request.caseNumber, choice.code, choice.sex, choice.ageGroup],
        );
        await client.query('DELETE FROM placement_waitlist WHERE case_number = $1', [request.caseNumber]);
        return { reserved: true, uptCode: choice.code };
      });
    },

    /**
     * Moves the case's bed (reserved or occupied) to another UPT, when that UPT serves the case and
     * has a bed of its class free; the case keeps its place otherwise.
     */
    async transferBed(request: BedRequest & { toUpt: string }): Promise<{ transferred: true } | { transferred: false; reason: string }> {
      return inTransaction(pool, async (client) => {
        const target = await client.query<{ code: string; region_code: string | null; needs: string[] }>(
          `SELECT u.code, u.region_code, ARRAY(SELECT n.need FROM upt_needs n WHERE n.upt_code = u.code) AS needs
           FROM upts u JOIN upt_serves s ON s.upt_code = u.code AND s.ppks_type = $1 WHERE u.code = $2 FOR UPDATE OF u`,
          [request.ppksType, request.toUpt],
        );
        const held = await client.query<{ upt_code: string }>(
          `SELECT upt_code FROM bed_reservations WHERE case_number = $1 AND status <> 'released' FOR UPDATE`,
          [request.caseNumber],
        );
        if (!held.rows[0]) return { transferred: false, reason: 'the case holds no bed' };
        if (held.rows[0].upt_code === request.toUpt) return { transferred: true }; // a retried transfer
        if (!target.rows[0]) return { transferred: false, reason: `${request.toUpt} does not take ${request.ppksType}` };
        const classes = await bedClasses(client, [request.toUpt], request.caseNumber);
        const choice = chooseBed(
          [
            {
              code: request.toUpt,
              regionCode: target.rows[0].region_code,
              needs: target.rows[0].needs,
              classes: classes.get(request.toUpt) ?? [],
            },
          ],
          seekerOf(request),
        );
        if (!choice) return { transferred: false, reason: `${request.toUpt} has no free bed for this person's class and needs` };
        await client.query('UPDATE bed_reservations SET upt_code = $2, sex = $3, age_group = $4 WHERE case_number = $1', [
          request.caseNumber,
          request.toUpt,
          choice.sex,
          choice.ageGroup,
        ]);
        return { transferred: true };
      });
    },

    async admitToBed(caseNumber: string): Promise<void> {
      await pool.query(
        `UPDATE bed_reservations SET status = 'admitted', admitted_at = coalesce(admitted_at, now())
         WHERE case_number = $1 AND status <> 'released'`,
        [caseNumber],
      );
    },

    /** Frees the bed when the case leaves the UPT or closes. */
    async releaseBed(caseNumber: string): Promise<void> {
      await pool.query(
        `UPDATE bed_reservations SET status = 'released', released_at = now() WHERE case_number = $1 AND status <> 'released'`,
        [caseNumber],
      );
    },
  };
}

/**
 * Beds per class of the given UPTs: taken (a reservation from before the registry, without a
 * class, counts against every class of its UPT) and queued ahead of this case (all waiting
 * cases that could take the class, when this case is not waiting yet).
 */
async function bedClasses(client: pg.PoolClient, uptCodes: string[], caseNumber: string) {
  const { rows } = await client.query<{
    upt_code: string;
    sex: BedSex;
    age_group: AgeGroup;
    beds: number;
    taken: number;
    queued_ahead: number;
  }>(
    `SELECT c.upt_code, c.sex, c.age_group, c.beds,
       (SELECT count(*)::int FROM bed_reservations b WHERE b.upt_code = c.upt_code AND b.status <> 'released'
          AND (b.sex IS NULL OR (b.sex = c.sex AND b.age_group = c.age_group))) AS taken,
       (SELECT count(*)::int FROM placement_waiting_matches m
        WHERE m.upt_code = c.upt_code AND m.sex = c.sex AND m.age_group = c.age_group AND m.case_number <> $2
          AND m.waiting_since < coalesce((SELECT w.waiting_since FROM placement_waitlist w WHERE w.case_number = $2), 'infinity')) AS queued_ahead
     FROM upt_capacity c WHERE c.upt_code = ANY($1)`,
    [uptCodes, caseNumber],
  );
  const byUpt = new Map<string, UptCandidate['classes'][number][]>();
  for (const row of rows) {
    const classes = byUpt.get(row.upt_code) ?? [];
    classes.push({ sex: row.sex, ageGroup: row.age_group, beds: row.beds, taken: row.taken, queuedAhead: row.queued_ahead });
    byUpt.set(row.upt_code, classes);
  }
  return byUpt;
}

function seekerOf(request: BedRequest): BedSeeker {
  return {
    sexes: bedSexesFor(request.sex),
    ageGroup: ageGroupOf(request.estimatedAge, request.ppksType),
    needs: request.needs ?? [],
    foundRegion: request.preferredRegion,
  };
}

/** Keeps the case's place in the queue (its first waiting time) while refreshing what it needs. */
async function joinWaitlist(client: pg.PoolClient, request: BedRequest, seeker: BedSeeker): Promise<void> {
  await client.query(
    `INSERT INTO placement_waitlist (case_number, ppks_type, sex, age_group, needs, found_region) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (case_number) DO UPDATE SET ppks_type = EXCLUDED.ppks_type, sex = EXCLUDED.sex, age_group = EXCLUDED.age_group,
       needs = EXCLUDED.needs, found_region = EXCLUDED.found_region`,
    [
      request.caseNumber,
      request.ppksType,
      seeker.sexes.length === 1 ? seeker.sexes[0] : null,
      seeker.ageGroup,
      seeker.needs,
      seeker.foundRegion,
    ],
  );
}
