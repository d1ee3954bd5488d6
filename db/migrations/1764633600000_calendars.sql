-- Up Migration

-- National holidays and cuti bersama (db/seed/holidays.json, seeded once per date). Supervisors
-- edit them; a removed day keeps its row with removed_at set, so the next start does not seed it
-- back. The version increases on every change (it names the change in the audit trail).
CREATE TABLE holidays (
  date date PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('national_holiday', 'cuti_bersama')),
  legal_basis text NOT NULL,
  removed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

-- Working hours per role, for SLAs counted in working days: round the clock, or office hours on
-- some ISO weekdays (1 = Monday) between two times of day.
CREATE TABLE working_hours (
  role text PRIMARY KEY CHECK (role IN ('satpol_pp', 'dinsos_kabkota', 'dukcapil', 'dinsos_prov', 'upt', 'supervisor', 'auditor', 'head_of_office')),
  schedule text NOT NULL CHECK (schedule IN ('round_the_clock', 'office_hours')),
  days integer[],
  opens time,
  closes time,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text,
  CHECK (CASE schedule
    WHEN 'round_the_clock' THEN days IS NULL AND opens IS NULL AND closes IS NULL
    -- NOT NULL spelled out: a CHECK that evaluates to NULL passes.
    ELSE days IS NOT NULL AND opens IS NOT NULL AND closes IS NOT NULL
      AND cardinality(days) > 0 AND days <@ ARRAY[1, 2, 3, 4, 5, 6, 7] AND opens < closes
  END)
);

-- Down Migration
DROP TABLE working_hours;
DROP TABLE holidays;
