-- Up Migration

-- Receivers supervisors register for alerts. The secret signs every delivery (HMAC-SHA256), so
-- it must be readable and is kept as given: the database is its trust boundary, as the
-- environment is the payload keys'. No endpoint returns it and nothing logs it.
CREATE TABLE webhooks (
  id text PRIMARY KEY,
  url text NOT NULL,
  secret text NOT NULL,
  created_by text NOT NULL REFERENCES agencies (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

-- One row per alert and per webhook active when the alert was raised: the state of that
-- delivery. last_error is a short reason (a status or an error code), never a response body.
CREATE TABLE alert_deliveries (
  alert_id bigint NOT NULL REFERENCES alerts (id),
  webhook_id text NOT NULL REFERENCES webhooks (id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error text,
  last_attempt_at timestamptz,
  delivered_at timestamptz,
  PRIMARY KEY (alert_id, webhook_id)
);
CREATE INDEX alert_deliveries_by_webhook ON alert_deliveries (webhook_id, status);

-- Down Migration
DROP TABLE alert_deliveries, webhooks;
