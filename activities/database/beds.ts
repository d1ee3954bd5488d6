/**
 * UPT beds. A reservation is atomic (the candidate UPT rows are locked while counting)
 * and there is at most one live reservation per case, so a retried activity reserves nothing twice.
 */
import { inTransaction, type Pool } from '../../db/pool.js';
import { Duration } from 'luxon';
import { config } from '../../config.js';
import { chooseUpt, type UptCandidate } from '../../domain/upt-choice.js';

export interface BedRequest {
  caseNumber: string;
  ppksType: string;
  preferredRegion: string;
}

export type BedOutcome = { reserved: true; uptCode: string } | { reserved: false; recheckAfterMs: number };

export function bedActivities(pool: Pool) {
  return {
    /** The UPT holding the case's bed, or when to ask again because every UPT serving the type is full. */
    async reserveBed(request: BedRequest): Promise<BedOutcome> {
      return inTransaction(pool, async (client) => {
        // Locked in code order so two reservations never wait on each other in a cycle.
        const candidates = await client.query<{ code: string; region_code: string | null; capacity: number }>(
          `SELECT u.code, u.region_code, u.capacity FROM upts u
           JOIN upt_serves s ON s.upt_code = u.code AND s.ppks_type = $1
           ORDER BY u.code FOR UPDATE OF u`,
          [request.ppksType],
        );
        // Checked under the UPT locks: a retried attempt running alongside sees the first one's bed.
        const held = await client.query<{ upt_code: string }>(
          `SELECT upt_code FROM bed_reservations WHERE case_number = $1 AND status <> 'released'`,
          [request.caseNumber],
        );
        if (held.rows[0]) return { reserved: true, uptCode: held.rows[0].upt_code };
        const taken = await client.query<{ upt_code: string; taken: number }>(
          `SELECT upt_code, count(*)::int AS taken FROM bed_reservations
           WHERE status <> 'released' AND upt_code = ANY($1) GROUP BY upt_code`,
          [candidates.rows.map((row) => row.code)],
        );
        const takenByUpt = new Map(taken.rows.map((row) => [row.upt_code, row.taken]));
        const choice = chooseUpt(
          candidates.rows.map((row): UptCandidate => ({
            code: row.code, regionCode: row.region_code, capacity: row.capacity, taken: takenByUpt.get(row.code) ?? 0,
          })),
          request.preferredRegion,
        );
        if (!choice) return { reserved: false, recheckAfterMs: Duration.fromISO(config.placementRecheckInterval).toMillis() };
        await client.query(
          `INSERT INTO bed_reservations (case_number, upt_code, status) VALUES ($1, $2, 'reserved')
           ON CONFLICT (case_number) DO UPDATE SET upt_code = EXCLUDED.upt_code, status = 'reserved',
             reserved_at = now(), admitted_at = NULL, released_at = NULL`,
          [request.caseNumber, choice.code],
        );
        return { reserved: true, uptCode: choice.code };
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
