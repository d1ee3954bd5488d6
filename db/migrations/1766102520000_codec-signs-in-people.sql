-- Up Migration

-- The codec endpoint takes a person's session now (issue 15): a supervisor signs in once, as for
-- everything else, and the Temporal Web UI behind the API's gateway sends that session's cookie.
-- The codec's own sessions, opened by pasting an agency's API key, are gone.
DROP TABLE codec_sessions;

-- Down Migration
CREATE TABLE codec_sessions (
  token_hash text PRIMARY KEY,
  agency_id text NOT NULL REFERENCES agencies (id),
  api_key_id text NOT NULL REFERENCES api_keys (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX codec_sessions_by_expiry ON codec_sessions (expires_at);
GRANT SELECT, INSERT, DELETE ON codec_sessions TO ppks_runtime;
