-- Up Migration

-- The UPT registry: beds per sex and age group, and the needs each UPT can care for. A supervisor
-- keeps it current (PUT /v1/upts/{code}); a UPT they edited is no longer refreshed from the seed.
CREATE TABLE upt_capacity (
  upt_code text NOT NULL REFERENCES upts (code) ON DELETE CASCADE,
  sex text NOT NULL CHECK (sex IN ('M', 'F')),
  age_group text NOT NULL CHECK (age_group IN ('child', 'adult', 'elderly')),
  beds integer NOT NULL CHECK (beds >= 0),
  PRIMARY KEY (upt_code, sex, age_group)
);

CREATE TABLE upt_needs (
  upt_code text NOT NULL REFERENCES upts (code) ON DELETE CASCADE,
  need text NOT NULL CHECK (need IN ('psychiatric', 'medical', 'disability')),
  PRIMARY KEY (upt_code, need)
);

ALTER TABLE upts
  ADD COLUMN version integer NOT NULL DEFAULT 1,
  ADD COLUMN updated_at timestamptz,
  ADD COLUMN updated_by text;

-- The class of the bed each reservation holds; null on reservations made before the registry,
-- which count against every class of their UPT until they are released.
ALTER TABLE bed_reservations
  ADD COLUMN sex text CHECK (sex IN ('M', 'F')),
  ADD COLUMN age_group text CHECK (age_group IN ('child', 'adult', 'elderly'));

-- Cases that found no bed, in the order they started waiting (clock time: a transaction's start
-- time would not follow the order in which the UPT locks let them through).
CREATE TABLE placement_waitlist (
  case_number text PRIMARY KEY,
  ppks_type text NOT NULL,
  sex text CHECK (sex IN ('M', 'F')), -- null: not known, may take a bed of either sex
  age_group text NOT NULL CHECK (age_group IN ('child', 'adult', 'elderly')),
  needs text[] NOT NULL DEFAULT '{}',
  found_region text NOT NULL,
  waiting_since timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX placement_waitlist_by_type ON placement_waitlist (ppks_type, waiting_since);

-- Every bed class each waiting case could take: a UPT serving its type and all its needs, its
-- age group, its sex (either when unknown). Cases the index shows closed or in follow-up no longer
-- wait (a case closed while waiting never asks for a bed again).
CREATE VIEW placement_waiting_matches AS
  SELECT w.case_number, w.waiting_since, c.upt_code, c.sex, c.age_group
  FROM placement_waitlist w
  JOIN upt_serves s ON s.ppks_type = w.ppks_type
  JOIN upt_capacity c ON c.upt_code = s.upt_code AND c.age_group = w.age_group AND (w.sex IS NULL OR w.sex = c.sex)
  WHERE w.needs <@ ARRAY(SELECT n.need FROM upt_needs n WHERE n.upt_code = s.upt_code)
    AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.case_number = w.case_number AND (k.status = 'closed' OR k.stage = 'follow_up'));

-- Down Migration
DROP VIEW placement_waiting_matches;
DROP TABLE placement_waitlist;
ALTER TABLE bed_reservations DROP COLUMN sex, DROP COLUMN age_group;
ALTER TABLE upts DROP COLUMN version, DROP COLUMN updated_at, DROP COLUMN updated_by;
DROP TABLE upt_needs;
DROP TABLE upt_capacity;
