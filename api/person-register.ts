/**
 * The repeat-client register: per case, what matching compares (normalized name, sex, age band,
 * keyed NIK hash, regions). Written by the API from the full case view after intake and after
 * the identification and address steps; an upsert by case number, so replays change nothing.
 */
import type pg from 'pg';
import type { Person } from '../domain/case.js';
import type { CaseView } from '../domain/case-view.js';
import { normalizeName } from '../domain/person-names.js';
import { nikHash } from '../encryption/match-key.js';

/** Estimated ages are guesses by eye: a band of ± this many years. */
export const AGE_MARGIN = 5;

export interface PersonRecord {
  caseNumber: string;
  name?: string;
  sex: Person['sex'];
  estimatedAge?: number;
  nik?: string;
  foundRegion: string;
  homeRegion: string | null;
  openedAt: string;
}

/** Null for a view without the person (the case index's view): nothing to register then. */
export function personRecordOf(view: CaseView): PersonRecord | null {
  if (!view.person) return null;
  const { name, sex, estimatedAge, nik } = view.person;
  return {
    caseNumber: view.caseNumber,
    name,
    sex,
    estimatedAge,
    nik,
    foundRegion: view.foundRegion,
    homeRegion: view.homeRegion,
    openedAt: view.openedAt,
  };
}

export async function registerPerson(db: pg.Pool | pg.PoolClient, key: Buffer, person: PersonRecord): Promise<void> {
  const nameKey = person.name ? normalizeName(person.name).key : '';
  const age = person.estimatedAge;
  await db.query(
    `INSERT INTO person_register (case_number, name_key, sex, age_min, age_max, nik_hash, found_region, home_region, opened_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (case_number) DO UPDATE SET name_key = EXCLUDED.name_key, sex = EXCLUDED.sex, age_min = EXCLUDED.age_min,
       age_max = EXCLUDED.age_max, nik_hash = EXCLUDED.nik_hash, found_region = EXCLUDED.found_region,
       home_region = EXCLUDED.home_region, opened_at = EXCLUDED.opened_at`,
    [
      person.caseNumber,
      nameKey || null,
      person.sex,
      age === undefined ? null : Math.max(0, age - AGE_MARGIN),
      age === undefined ? null : age + AGE_MARGIN,
      person.nik ? nikHash(key, person.nik) : null,
      person.foundRegion,
      person.homeRegion,
      person.openedAt,
    ],
  );
}
