/**
 * Intake idempotency in PostgreSQL: one case number per Idempotency-Key, allocated once.
 * Case numbers read `<kab/kota digits>-<year>-<sequence>`, e.g. 3578-2026-000001.
 */
import { DateTime } from 'luxon';
import { inTransaction, type Pool } from '../db/pool.js';
import { SLA_ZONE } from '../domain/sla.js';
import { conflict } from './problem.js';
import type { RequestHash } from './request-hash.js';

export async function claimIntake(
  pool: Pool,
  claim: { idempotencyKey: string; requestHash: RequestHash; agencyId: string; foundRegion: string },
): Promise<{ caseNumber: string; requestHash: string }> {
  for (;;) {
    try {
      return await inTransaction(pool, async (client) => {
        const earlier = await client.query<{ request_hash: string; case_number: string }>(
          'SELECT request_hash, case_number FROM intake_requests WHERE idempotency_key = $1',
          [claim.idempotencyKey],
        );
        if (earlier.rows[0]) {
          if (!claim.requestHash.sameAs(earlier.rows[0].request_hash))
            throw conflict('This Idempotency-Key was already used with another intake');
          // The hash the case was opened under, so that the retry finds its own start.
          return { caseNumber: earlier.rows[0].case_number, requestHash: earlier.rows[0].request_hash };
        }
        const year = DateTime.now().setZone(SLA_ZONE).year;
        const sequence = await client.query<{ last_value: number }>(
          `INSERT INTO case_number_sequences (region_code, year, last_value) VALUES ($1, $2, 1)
           ON CONFLICT (region_code, year) DO UPDATE SET last_value = case_number_sequences.last_value + 1
           RETURNING last_value`,
          [claim.foundRegion, year],
        );
        const caseNumber = `${claim.foundRegion.replace('.', '')}-${year}-${String(sequence.rows[0]!.last_value).padStart(6, '0')}`;
        await client.query('INSERT INTO intake_requests (idempotency_key, request_hash, case_number, agency_id) VALUES ($1, $2, $3, $4)', [
          claim.idempotencyKey,
          claim.requestHash.current,
          caseNumber,
          claim.agencyId,
        ]);
        return { caseNumber, requestHash: claim.requestHash.current };
      });
    } catch (error) {
      // The same key arrived twice at once: the other request won, so read its answer.
      if ((error as { code?: string }).code === '23505') continue;
      throw error;
    }
  }
}

/**
 * Marks the intake's case as opened in Temporal. True only for the request that did so first:
 * that one answers 201, every replay 200 (also when an earlier attempt failed before the start).
 */
export async function confirmOpened(pool: Pool, idempotencyKey: string): Promise<boolean> {
  const { rowCount } = await pool.query('UPDATE intake_requests SET opened_at = now() WHERE idempotency_key = $1 AND opened_at IS NULL', [
    idempotencyKey,
  ]);
  return rowCount === 1;
}
