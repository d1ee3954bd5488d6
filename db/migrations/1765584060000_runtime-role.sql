-- Up Migration

-- Two database roles (docs/operations.md, "Database roles"): the owner of the tables runs these
-- migrations (DATABASE_OWNER_URL); the API and the worker connect as ppks_runtime, or as a role
-- granted it (DATABASE_URL), which owns nothing and may only append to and read the two logs:
-- it can neither change a logged row nor disable the triggers that keep the logs append-only.

-- Roles belong to the whole server, not to one database: created once, by the first database
-- migrated. NOLOGIN: a deployment gives it a password and LOGIN, or grants it to its login role.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ppks_runtime') THEN
    CREATE ROLE ppks_runtime NOLOGIN;
  END IF;
EXCEPTION
  -- Created meanwhile by the migration of another database on this server.
  WHEN duplicate_object OR unique_violation THEN NULL;
  WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'the role ppks_runtime does not exist, and % may not create it', current_user
      USING HINT = 'Create it first: CREATE ROLE ppks_runtime LOGIN PASSWORD ''...''; see docs/operations.md, "Database roles".';
END;
$$;

-- What the code does with each table, and no more (re-running this leaves exactly these grants).
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ppks_runtime;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ppks_runtime;

-- The logs: appended and read, never changed.
GRANT SELECT, INSERT ON audit_log, access_log TO ppks_runtime;
-- Reference data the owner seeds on every start.
GRANT SELECT ON ppks_types, regions TO ppks_runtime;
-- Supervisors edit a UPT (PUT /v1/upts/{code}; seeded, never created by the service); a bed reservation locks it.
GRANT SELECT, UPDATE ON upts TO ppks_runtime;
-- A UPT's registry is replaced as a whole: deleted and inserted.
GRANT SELECT, INSERT, DELETE ON upt_serves, upt_needs, upt_capacity TO ppks_runtime;
-- Seeded per role and edited by supervisors, never added or removed.
GRANT SELECT, UPDATE ON working_hours TO ppks_runtime;
-- Written once, read after.
GRANT SELECT, INSERT ON sla_policy_versions TO ppks_runtime;
-- Inserted and updated (an upsert, a status, a revocation, a lock FOR UPDATE), never deleted.
GRANT SELECT, INSERT, UPDATE ON
  agencies, api_keys, case_number_sequences, intake_requests, cases, bed_reservations, alerts, alert_deliveries,
  webhooks, civil_registry, holidays, person_register, case_matches
  TO ppks_runtime;
-- Rows that go away: per-type SLA overrides, expired codec sessions, a case leaving the bed
-- waitlist, expired failed-authentication counters.
GRANT SELECT, INSERT, UPDATE, DELETE ON sla_policies, placement_waitlist, auth_failures TO ppks_runtime;
GRANT SELECT, INSERT, DELETE ON codec_sessions TO ppks_runtime;
GRANT SELECT ON placement_waiting_matches TO ppks_runtime;
-- The bigserial ids of the tables it inserts into.
GRANT USAGE ON SEQUENCE alerts_id_seq, access_log_id_seq TO ppks_runtime;

-- Tables and sequences a later migration creates (as this owner) get the usual rights; a new log
-- must REVOKE UPDATE, DELETE on it in its own migration.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ppks_runtime;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO ppks_runtime;

-- Down Migration
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE ON SEQUENCES FROM ppks_runtime;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM ppks_runtime;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ppks_runtime;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ppks_runtime;
