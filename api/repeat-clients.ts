/**
 * Repeat clients: earlier cases that may be the same person, found by PostgreSQL in one query.
 * The same NIK (keyed hash) scores 1. Otherwise the normalized names must be trigram-similar
 * (pg_trgm, GIN index) and the score adds up, out of at most 0.95 so that only a NIK reaches 1:
 *   0.55 x name similarity / (1 + ln(earlier people with nearly that name) / 4)
 *   + 0.15 same sex + 0.15 x share of the age bands in common + 0.10 same found or home kab/kota.
 * A common name ("Slamet") thus says less than a rare one.
 * Known, different sexes, or two different NIKs, rule a candidate out. Only earlier cases are
 * candidates, so each pair is stored once, as (later case, earlier case).
 */
import type pg from 'pg';
import { inTransaction, type Pool } from '../db/pool.js';
import type { CaseView } from '../domain/case-view.js';
import { AGE_MARGIN, personRecordOf, registerPerson } from './person-register.js';

/** Names less similar than this (pg_trgm similarity of the keys) are not compared further. */
const NAME_SIMILARITY_FLOOR = 0.4;
/** Candidates scoring below this are not listed; chosen with `npm run bench:matching`. */
export const MATCH_THRESHOLD = 0.65;
const MAX_CANDIDATES = 5;
const WEIGHTS = { name: 0.55, sex: 0.15, age: 0.15, region: 0.1 } as const;
/** Names at least this similar count as the same name when judging how common a name is. */
const CROWD_SIMILARITY = 0.8;
/** The name's weight is divided by 1 + ln(people with that name) / this. */
const CROWD_DAMPING = 4;

export interface Candidate {
  caseNumber: string;
  score: number;
  /** Which signals agreed, never the values themselves. */
  reasons: string[];
}

const CANDIDATES = `
  WITH me AS (SELECT * FROM person_register WHERE case_number = $1),
  compared AS (
    SELECT r.case_number, r.opened_at,
      coalesce(r.nik_hash = me.nik_hash, false) AS same_nik,
      coalesce(similarity(r.name_key, me.name_key), 0) AS name_similarity,
      (me.sex <> 'unknown' AND r.sex = me.sex) AS same_sex,
      -- Share of the age band the two have in common, the earlier band aged by the whole years in between.
      coalesce(greatest(0, least(r.age_max + years.elapsed, me.age_max) - greatest(r.age_min + years.elapsed, me.age_min))::float8
        / ${2 * AGE_MARGIN}, 0) AS age_fit,
      r.found_region = me.found_region AS same_found_region,
      coalesce(r.home_region = me.home_region, false) AS same_home_region
    FROM me
    JOIN person_register r
      ON (r.opened_at, r.case_number) < (me.opened_at, me.case_number)
      AND (r.nik_hash = me.nik_hash
        OR (r.name_key % me.name_key
          AND NOT (r.sex <> 'unknown' AND me.sex <> 'unknown' AND r.sex <> me.sex)
          AND NOT coalesce(r.nik_hash <> me.nik_hash, false)))
    CROSS JOIN LATERAL (SELECT floor(extract(epoch FROM me.opened_at - r.opened_at) / 31557600)::int AS elapsed) years
  ),
  crowded AS (
    -- How many earlier people carry (nearly) this name: the more, the less a name alone says.
    SELECT *, count(*) FILTER (WHERE name_similarity >= ${CROWD_SIMILARITY}) OVER () AS crowd FROM compared
  ),
  scored AS (
    SELECT case_number, opened_at,
      CASE WHEN same_nik THEN 1 ELSE round((${WEIGHTS.name} * name_similarity / (1 + ln(greatest(crowd, 1)) / ${CROWD_DAMPING})
        + ${WEIGHTS.sex} * same_sex::int + ${WEIGHTS.age} * least(age_fit, 1)
        + ${WEIGHTS.region} * (same_found_region OR same_home_region)::int)::numeric, 3) END AS score,
      array_remove(ARRAY[
        CASE WHEN same_nik THEN 'same NIK' END,
        CASE WHEN name_similarity = 1 THEN 'same name' WHEN name_similarity >= ${NAME_SIMILARITY_FLOOR}
          THEN 'similar name (' || to_char(name_similarity, 'FM0.00') || ')' END,
        CASE WHEN same_sex THEN 'same sex' END,
        CASE WHEN age_fit > 0 THEN 'age band overlaps' END,
        CASE WHEN same_found_region THEN 'found in the same kab/kota' END,
        CASE WHEN same_home_region THEN 'same home kab/kota' END
      ], NULL) AS reasons
    FROM crowded
  )
  SELECT case_number AS "caseNumber", score::float8 AS score, reasons FROM scored
  WHERE score >= $2 ORDER BY score DESC, opened_at DESC, case_number LIMIT ${MAX_CANDIDATES}`;

/** The earlier cases that may be this case's person, best first. Runs inside a transaction (it sets the trigram floor locally). */
export async function candidatesFor(client: pg.PoolClient, caseNumber: string, minScore = MATCH_THRESHOLD): Promise<Candidate[]> {
  await client.query("SELECT set_config('pg_trgm.similarity_threshold', $1, true)", [String(NAME_SIMILARITY_FLOOR)]);
  return (await client.query<Candidate>(CANDIDATES, [caseNumber, minScore])).rows;
}

/**
 * After intake and after identification or address results: registers the person as the view
 * now shows them and stores their candidates. A decided pair keeps its decision and its score.
 */
export async function refreshMatches(pool: Pool, key: Buffer, view: CaseView): Promise<void> {
  const person = personRecordOf(view);
  if (!person) return;
  await inTransaction(pool, async (client) => {
    await registerPerson(client, key, person);
    for (const candidate of await candidatesFor(client, view.caseNumber)) {
      await client.query(
        `INSERT INTO case_matches (case_number, other_case_number, score, reasons) VALUES ($1, $2, $3, $4)
         ON CONFLICT (case_number, other_case_number) DO UPDATE SET score = EXCLUDED.score, reasons = EXCLUDED.reasons
         WHERE case_matches.decision IS NULL`,
        [view.caseNumber, candidate.caseNumber, candidate.score, candidate.reasons],
      );
    }
  });
}
