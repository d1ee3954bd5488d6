-- Up Migration

-- Failed authentications per client address and per presented key, counted in the database so
-- that every API process counts the same failures (api/auth-failures.ts; the shape is the one
-- rate-limiter-flexible's PostgreSQL store reads and writes).
CREATE TABLE auth_failures (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);

-- Down Migration

DROP TABLE auth_failures;
