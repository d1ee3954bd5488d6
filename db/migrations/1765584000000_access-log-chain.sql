-- Up Migration

-- The read-access log becomes what the audit trail is: hash-chained (seq, prev_hash, row_hash;
-- audit/access-log.ts appends, audit/chain.ts hashes and verifies) and append-only.
LOCK TABLE access_log IN ACCESS EXCLUSIVE MODE;
ALTER TABLE access_log ADD COLUMN seq bigint, ADD COLUMN prev_hash text, ADD COLUMN row_hash text;

-- The rows from before are chained here, in the order they were written, with the hash
-- audit/chain.ts computes: sha256 of the previous hash, a newline and the JSON array
-- [seq, id, case_number, agency_id, role, endpoint, request_id, at in UTC to the millisecond]
-- (tests/e2e/audit-owner.test.ts checks that both agree).
DO $$
DECLARE
  r record;
  n bigint := 0;
  prev text := repeat('0', 64);
  fields text;
BEGIN
  FOR r IN SELECT * FROM access_log ORDER BY id LOOP
    n := n + 1;
    fields := '[' || n || ',' || to_json(r.id::text)::text || ',' || to_json(r.case_number)::text || ','
      || to_json(r.agency_id)::text || ',' || to_json(r.role)::text || ',' || to_json(r.endpoint)::text || ','
      || to_json(r.request_id)::text || ','
      || to_json(to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text || ']';
    UPDATE access_log SET seq = n, prev_hash = prev,
      row_hash = encode(sha256(convert_to(prev || E'\n' || fields, 'UTF8')), 'hex')
      WHERE id = r.id
      RETURNING row_hash INTO prev;
  END LOOP;
END;
$$;

ALTER TABLE access_log
  ALTER COLUMN seq SET NOT NULL,
  ALTER COLUMN prev_hash SET NOT NULL,
  ALTER COLUMN row_hash SET NOT NULL,
  ADD CONSTRAINT access_log_seq_key UNIQUE (seq),
  ADD CONSTRAINT access_log_seq_check CHECK (seq > 0),
  ADD CONSTRAINT access_log_row_hash_key UNIQUE (row_hash);

-- Append-only, like audit_log. The runtime role has no UPDATE, DELETE or TRUNCATE on either log
-- and owns neither, so it cannot disable this trigger; the owner can, which the signed heads catch.
CREATE FUNCTION log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER access_log_no_update_or_delete BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION log_append_only();

-- Down Migration
DROP TRIGGER access_log_no_truncate ON access_log;
DROP TRIGGER access_log_no_update_or_delete ON access_log;
DROP FUNCTION log_append_only();
ALTER TABLE access_log DROP COLUMN row_hash, DROP COLUMN prev_hash, DROP COLUMN seq;
