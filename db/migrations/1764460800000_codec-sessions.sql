-- Up Migration

-- Logins of supervisors to the codec endpoint (the Temporal Web UI's decoder). Only a SHA-256
-- hash of the session token is kept; a session ends when it expires or its API key stops working.
CREATE TABLE codec_sessions (
  token_hash text PRIMARY KEY,
  agency_id text NOT NULL REFERENCES agencies (id),
  api_key_id text NOT NULL REFERENCES api_keys (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX codec_sessions_by_expiry ON codec_sessions (expires_at);

-- Down Migration
DROP TABLE codec_sessions;
