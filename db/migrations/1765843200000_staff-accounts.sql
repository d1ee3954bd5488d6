-- Up Migration

-- People who sign in as themselves (issue 15). A person belongs to one agency and acts with its
-- role and scope; the agency's API keys stay for systems. Emails are unique whatever their case.
-- Only an argon2id hash of the password is kept (api/passwords.ts).
CREATE TABLE users (
  id text PRIMARY KEY,
  agency_id text NOT NULL REFERENCES agencies (id),
  email text NOT NULL CHECK (email = btrim(email) AND email LIKE '%_@_%'),
  name text NOT NULL CHECK (btrim(name) <> ''),
  password_hash text NOT NULL,
  -- Refused on their next request, sessions or not; the agency's keys are untouched.
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
CREATE INDEX users_by_agency ON users (agency_id);

-- Server-side sessions (api/sessions.ts): the cookie's token is stored only as its SHA-256 hash,
-- so a leaked table signs nobody in. The CSRF token is the synchronizer token the pages send back.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  -- The absolute timeout, fixed at sign-in; the idle timeout is counted from last_seen_at.
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- As narrow as the runtime role's other grants (1765584060000_runtime-role.sql): people are added,
-- edited and disabled, never deleted (the logs name them); sessions end by being deleted.
REVOKE ALL ON users, sessions FROM ppks_runtime;
GRANT SELECT, INSERT, UPDATE ON users TO ppks_runtime;
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO ppks_runtime;

-- Down Migration
DROP TABLE sessions;
DROP TABLE users;
