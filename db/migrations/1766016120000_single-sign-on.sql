-- Up Migration

-- Single sign-on (issue 15): a person may sign in through an OpenID Connect provider. They are
-- known by the provider's issuer and subject: an email can change hands at the provider, a
-- subject does not. A person created by single sign-on has no password, so a password sign-in
-- never matches them (api/passwords.ts checks a dummy hash instead).
ALTER TABLE users
  ALTER COLUMN password_hash DROP NOT NULL,
  ADD COLUMN oidc_issuer text,
  ADD COLUMN oidc_subject text,
  ADD CONSTRAINT users_oidc_identity CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL)),
  ADD CONSTRAINT users_signs_in_somehow CHECK (password_hash IS NOT NULL OR oidc_subject IS NOT NULL);
CREATE UNIQUE INDEX users_oidc_unique ON users (oidc_issuer, oidc_subject);

-- Sign-ins on their way through the provider (api/routes/oidc.ts): the state, nonce and PKCE
-- verifier stay here, found again by the SHA-256 hash of a random token in a short-lived cookie of
-- the browser that started the sign-in, and deleted when the provider sends that browser back.
CREATE TABLE oidc_sign_ins (
  browser_hash text PRIMARY KEY,
  state text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  redirect_uri text NOT NULL,
  expires_at timestamptz NOT NULL
);
REVOKE ALL ON oidc_sign_ins FROM ppks_runtime;
GRANT SELECT, INSERT, DELETE ON oidc_sign_ins TO ppks_runtime;

-- Down Migration
DROP TABLE oidc_sign_ins;
DROP INDEX users_oidc_unique;
-- Fails while people created by single sign-on exist: they have no password to go back to.
ALTER TABLE users
  DROP CONSTRAINT users_signs_in_somehow,
  DROP CONSTRAINT users_oidc_identity,
  DROP COLUMN oidc_subject,
  DROP COLUMN oidc_issuer,
  ALTER COLUMN password_hash SET NOT NULL;
