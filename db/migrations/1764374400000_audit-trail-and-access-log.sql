-- Up Migration

-- The audit trail: one row per accepted change, hash-chained (row_hash covers prev_hash and every
-- field), so `npm run audit -- verify` finds an edited, deleted or reordered row. Never personal data.
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  -- The Update ID for case steps: a retried activity or replayed request never writes twice.
  entry_key text NOT NULL UNIQUE,
  case_number text,
  action text NOT NULL,
  agency_id text NOT NULL,
  role text NOT NULL,
  request_id text,
  request_hash text NOT NULL,
  at timestamptz NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  row_hash text NOT NULL UNIQUE
);
CREATE INDEX audit_log_by_case ON audit_log (case_number, seq);

-- Append-only for the service's own database role; verification still catches a superuser's edits.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Who read which case's personal data, when, and through which endpoint.
CREATE TABLE access_log (
  id bigserial PRIMARY KEY,
  case_number text NOT NULL,
  agency_id text NOT NULL,
  role text NOT NULL,
  endpoint text NOT NULL,
  request_id text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX access_log_by_case ON access_log (case_number, id);

-- Down Migration
DROP TABLE access_log;
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
