-- Up Migration

-- A second factor for people (issue 15): TOTP, required for supervisors and auditors and optional
-- for everyone else (api/second-factor.ts). The shared secret is never stored in clear: it is
-- sealed with the payload keyring like webhook secrets (encryption/sealed-secrets.ts), bound to
-- the person. Between the start of an enrolment and its confirmation the secret is stored with no
-- enrolment time; only a confirmed one is asked for at sign-in. The last time step accepted keeps
-- a code from being used twice within its window.
ALTER TABLE users
  ADD COLUMN totp_secret_ciphertext bytea,
  ADD COLUMN totp_secret_key_id text,
  ADD COLUMN totp_enrolled_at timestamptz,
  ADD COLUMN totp_last_step bigint,
  ADD CONSTRAINT users_totp_sealed CHECK ((totp_secret_ciphertext IS NULL) = (totp_secret_key_id IS NULL)),
  ADD CONSTRAINT users_totp_enrolled_has_secret CHECK (totp_enrolled_at IS NULL OR totp_secret_ciphertext IS NOT NULL);

-- Recovery codes, for a person without their device: only their SHA-256 hashes (the codes are
-- random, shown once at enrolment), each usable once.
CREATE TABLE recovery_codes (
  user_id text NOT NULL REFERENCES users (id),
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, code_hash)
);

-- When the session passed the second factor; null while it is pending for a person who needs one.
ALTER TABLE sessions ADD COLUMN second_factor_at timestamptz;

-- The service marks codes used; replacing them is the operator's (npm run user -- reset-totp).
REVOKE ALL ON recovery_codes FROM ppks_runtime;
GRANT SELECT, INSERT, UPDATE ON recovery_codes TO ppks_runtime;

-- Down Migration
ALTER TABLE sessions DROP COLUMN second_factor_at;
DROP TABLE recovery_codes;
ALTER TABLE users
  DROP CONSTRAINT users_totp_enrolled_has_secret,
  DROP CONSTRAINT users_totp_sealed,
  DROP COLUMN totp_last_step,
  DROP COLUMN totp_enrolled_at,
  DROP COLUMN totp_secret_key_id,
  DROP COLUMN totp_secret_ciphertext;
