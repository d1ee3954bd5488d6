-- Up Migration

-- A recipient may snooze an open alert a limited number of times: it leaves the open inbox
-- until snoozed_until, then shows again.
ALTER TABLE alerts
  ADD COLUMN snoozed_until timestamptz,
  ADD COLUMN snooze_count integer NOT NULL DEFAULT 0;

-- Down Migration
ALTER TABLE alerts DROP COLUMN snooze_count, DROP COLUMN snoozed_until;
