-- Up Migration

-- Repeat clients: Dinsos Jatim grants repatriation help once per person, and people come back under
-- other names. Trigram similarity (pg_trgm) finds earlier cases of the same person by name.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per case: what matching needs, and nothing more. Personal data (UU 27/2022): name_key is
-- the normalized name (domain/person-names.ts) and is read only by matching; the NIK is kept only as
-- an HMAC-SHA256 under PPKS_MATCH_KEY, so a leaked table does not list NIKs.
CREATE TABLE person_register (
  case_number text PRIMARY KEY,
  name_key text,
  sex text NOT NULL CHECK (sex IN ('M', 'F', 'unknown')),
  -- The estimated age as a band, at opened_at; matching shifts it by the years in between.
  age_min integer,
  age_max integer,
  nik_hash text,
  found_region text NOT NULL,
  home_region text,
  opened_at timestamptz NOT NULL
);
CREATE INDEX person_register_name_trgm ON person_register USING gin (name_key gin_trgm_ops);
CREATE INDEX person_register_nik_hash ON person_register (nik_hash) WHERE nik_hash IS NOT NULL;

-- Candidate pairs: case_number is the later case, other_case_number the earlier one. A supervisor
-- confirms (the cases are linked) or rejects each; a decided pair is never rescored.
CREATE TABLE case_matches (
  case_number text NOT NULL,
  other_case_number text NOT NULL,
  score numeric(4, 3) NOT NULL CHECK (score BETWEEN 0 AND 1),
  reasons text[] NOT NULL,
  decision text CHECK (decision IN ('confirmed', 'rejected')),
  decided_by text REFERENCES agencies (id),
  decided_at timestamptz,
  -- The supervisor's free text: may name people, so it is returned by no endpoint.
  decision_reason text,
  PRIMARY KEY (case_number, other_case_number),
  CHECK (case_number <> other_case_number),
  CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX case_matches_other ON case_matches (other_case_number);

-- Down Migration
DROP TABLE case_matches;
DROP TABLE person_register;
