-- Up Migration

-- Key lifecycle: an optional expiry (NULL never expires). Rotation sets it on an agency's old
-- keys so they keep working through a grace period, then stop without anyone acting again.
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
-- Listing, rotating and revoking work on one agency's keys.
CREATE INDEX api_keys_by_agency ON api_keys (agency_id);

-- Down Migration
DROP INDEX api_keys_by_agency;
ALTER TABLE api_keys DROP COLUMN expires_at;
