-- Up Migration

-- Reference data (seeded from db/seed on every start; codes never change meaning).
CREATE TABLE ppks_types (
  code text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE regions (
  code text PRIMARY KEY CHECK (code ~ '^\d{2}\.\d{2}$'),
  name text NOT NULL
);

CREATE TABLE upts (
  code text PRIMARY KEY,
  name text NOT NULL,
  city text NOT NULL,
  region_code text REFERENCES regions (code),
  capacity integer NOT NULL CHECK (capacity >= 0),
  capacity_reported boolean NOT NULL,
  capacity_note text,
  source text
);

CREATE TABLE upt_serves (
  upt_code text NOT NULL REFERENCES upts (code) ON DELETE CASCADE,
  ppks_type text NOT NULL REFERENCES ppks_types (code),
  PRIMARY KEY (upt_code, ppks_type)
);
CREATE INDEX upt_serves_by_type ON upt_serves (ppks_type);

-- Agencies and their API keys (only a SHA-256 hash of each key is kept).
CREATE TABLE agencies (
  id text PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('satpol_pp', 'dinsos_kabkota', 'dukcapil', 'dinsos_prov', 'upt', 'supervisor', 'auditor')),
  region_code text REFERENCES regions (code),
  upt_code text REFERENCES upts (code),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((role IN ('satpol_pp', 'dinsos_kabkota')) = (region_code IS NOT NULL)),
  CHECK ((role = 'upt') = (upt_code IS NOT NULL))
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  agency_id text NOT NULL REFERENCES agencies (id),
  key_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- Intake idempotency: one case per Idempotency-Key, and the case number it got.
CREATE TABLE case_number_sequences (
  region_code text NOT NULL,
  year integer NOT NULL,
  last_value integer NOT NULL,
  PRIMARY KEY (region_code, year)
);

CREATE TABLE intake_requests (
  idempotency_key text PRIMARY KEY,
  request_hash text NOT NULL,
  case_number text NOT NULL UNIQUE,
  agency_id text NOT NULL REFERENCES agencies (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Set once the case's workflow exists: decides 201 (first) or 200 (replay).
  opened_at timestamptz
);

-- The case index: a projection written by the workflow, without personal data.
CREATE TABLE cases (
  case_number text PRIMARY KEY,
  revision integer NOT NULL,
  status text NOT NULL,
  stage text NOT NULL,
  ppks_type text NOT NULL,
  found_region text NOT NULL,
  home_region text,
  upt_code text,
  owner_role text,
  sla_due_at timestamptz,
  sla_breached boolean NOT NULL DEFAULT false,
  escalation_level integer NOT NULL DEFAULT 0,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  view jsonb NOT NULL
);
CREATE INDEX cases_by_stage ON cases (stage, case_number);
CREATE INDEX cases_by_found_region ON cases (found_region, case_number);
CREATE INDEX cases_by_home_region ON cases (home_region, case_number);

-- Beds: at most one live reservation per case.
CREATE TABLE bed_reservations (
  case_number text PRIMARY KEY,
  upt_code text NOT NULL REFERENCES upts (code),
  status text NOT NULL CHECK (status IN ('reserved', 'admitted', 'released')),
  reserved_at timestamptz NOT NULL DEFAULT now(),
  admitted_at timestamptz,
  released_at timestamptz
);
CREATE INDEX bed_reservations_live ON bed_reservations (upt_code) WHERE status <> 'released';

-- SLA policy per step; the version increases on every change.
CREATE TABLE sla_policies (
  step text PRIMARY KEY,
  duration text NOT NULL,
  calendar text NOT NULL CHECK (calendar IN ('continuous', 'working_days')),
  anchor text NOT NULL CHECK (anchor IN ('stage_entered', 'case_opened')),
  escalation jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

-- Alerts: one row per SLA clock and level (alert_key), however often the activity retries.
CREATE TABLE alerts (
  id bigserial PRIMARY KEY,
  alert_key text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('sla_breach', 'no_bed')),
  case_number text NOT NULL,
  stage text NOT NULL,
  step text NOT NULL,
  level integer NOT NULL,
  recipient_role text NOT NULL,
  region_code text,
  upt_code text,
  due_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  acknowledged_by text,
  acknowledgement_note text
);
CREATE INDEX alerts_by_case ON alerts (case_number);

-- Local stand-in for the national civil registry (Dukcapil): NIK to current domicile.
CREATE TABLE civil_registry (
  nik text PRIMARY KEY CHECK (nik ~ '^\d{16}$'),
  region_code text NOT NULL CHECK (region_code ~ '^\d{2}\.\d{2}$'),
  address text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE civil_registry, alerts, sla_policies, bed_reservations, cases, intake_requests,
  case_number_sequences, api_keys, agencies, upt_serves, upts, regions, ppks_types;
