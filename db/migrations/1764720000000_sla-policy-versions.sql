-- Up Migration

-- SLA policies as data: sla_policies holds the policies in force, a default per step
-- (ppks_type NULL) and optional overrides per step and PPKS type. Every version ever in force is
-- kept in sla_policy_versions, so the version a case's clock runs under can always be looked up.
ALTER TABLE sla_policies ADD COLUMN ppks_type text REFERENCES ppks_types (code);
ALTER TABLE sla_policies DROP CONSTRAINT sla_policies_pkey;
-- coalesce: a unique index treats NULLs as distinct, and a step has one default.
CREATE UNIQUE INDEX sla_policies_by_step_and_type ON sla_policies (step, coalesce(ppks_type, ''));

-- Versions count per (step, ppks_type) and are never reused: removing an override is a version
-- too (removed, without settings), so an override created again continues the count.
CREATE TABLE sla_policy_versions (
  step text NOT NULL,
  ppks_type text REFERENCES ppks_types (code),
  version integer NOT NULL CHECK (version > 0),
  removed boolean NOT NULL DEFAULT false,
  duration text,
  calendar text CHECK (calendar IN ('continuous', 'working_days')),
  anchor text CHECK (anchor IN ('stage_entered', 'case_opened')),
  escalation jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text,
  reason text,
  -- A removal carries no settings; every other version carries all of them.
  CHECK (removed = (duration IS NULL) AND removed = (calendar IS NULL) AND removed = (anchor IS NULL) AND removed = (escalation IS NULL)),
  -- Only an override can be removed: a step always has its default.
  CHECK (NOT removed OR ppks_type IS NOT NULL)
);
CREATE UNIQUE INDEX sla_policy_versions_key ON sla_policy_versions (step, coalesce(ppks_type, ''), version);

-- The versions in force now; earlier ones were never kept.
INSERT INTO sla_policy_versions (step, ppks_type, version, duration, calendar, anchor, escalation, created_at, created_by)
  SELECT step, ppks_type, version, duration, calendar, anchor, escalation, updated_at, updated_by FROM sla_policies;

-- Reminder rungs (e.g. at 50 % of the SLA) raise alerts of their own kind.
ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('sla_breach', 'sla_reminder', 'no_bed'));

-- Down Migration
ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
-- NOT VALID: reminders already raised stay in the inbox; new ones are refused.
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('sla_breach', 'no_bed')) NOT VALID;
DROP TABLE sla_policy_versions;
DELETE FROM sla_policies WHERE ppks_type IS NOT NULL;
DROP INDEX sla_policies_by_step_and_type;
ALTER TABLE sla_policies DROP COLUMN ppks_type;
ALTER TABLE sla_policies ADD PRIMARY KEY (step);
