-- Up Migration

-- The person in every record (issue 15): audit entries and access-log rows name the user ID of the
-- person signed in next to the agency; null for an API key and for every row from before. The
-- rows' hashes cover it only when it is set (audit/trail.ts, audit/access-log.ts), so the chains
-- from before still verify. No foreign key: a log stays readable whatever happens to the people.
ALTER TABLE audit_log ADD COLUMN user_id text;
ALTER TABLE access_log ADD COLUMN user_id text;

-- The person behind a case step posted with a session, keyed as the step's audit entry will be
-- (`case-<number>/<Update ID>`): the API notes it before sending the Update, the audit activity
-- takes it when it writes the entry. So the Update, the workflow and its history are the same
-- for a session as for a key.
CREATE TABLE step_people (
  entry_key text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id),
  noted_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON step_people FROM ppks_runtime;
GRANT SELECT, INSERT, DELETE ON step_people TO ppks_runtime;

-- Down Migration
DROP TABLE step_people;
ALTER TABLE access_log DROP COLUMN user_id;
ALTER TABLE audit_log DROP COLUMN user_id;
