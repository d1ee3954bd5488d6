-- Up Migration

-- The paged lists read their pages by keyset (api/pagination.ts): each page starts below the
-- last row of the page before, in the list's order, found through these indexes instead of a
-- sort of every row. The alert list pages on alerts' primary key.
CREATE INDEX cases_by_opening ON cases (opened_at, case_number);
CREATE INDEX alert_deliveries_by_webhook_and_alert ON alert_deliveries (webhook_id, alert_id);

-- Down Migration
DROP INDEX alert_deliveries_by_webhook_and_alert;
DROP INDEX cases_by_opening;
