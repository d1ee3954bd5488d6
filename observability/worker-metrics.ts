/**
 * What the worker counts, through the Temporal SDK's metric meter: the same Prometheus exporter
 * as the SDK's own metrics (WORKER_METRICS_PORT), tagged with the namespace, task queue and
 * activity type. Counted in the activities that do the thing, once: an alert when its row is
 * inserted (a retried activity finds it there), a delivery when its row changes.
 * Called outside an activity (a test calling an activity function directly) they count nothing.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import type { MetricMeter } from '@temporalio/common';

function activityMeter(): MetricMeter | undefined {
  return asyncLocalStorage.getStore()?.metricMeter;
}

/** A new alert: every kind by kind, and SLA breaches by stage and escalation level. */
export function countAlertRaised(alert: { kind: string; stage: string; level: number }): void {
  const meter = activityMeter();
  if (!meter) return;
  meter.createCounter('ppks_alerts_raised', undefined, 'Alerts raised, by kind').add(1, { kind: alert.kind });
  if (alert.kind === 'sla_breach') {
    meter
      .createCounter('ppks_sla_breaches', undefined, 'SLA breaches (each escalation level of a clock once), by stage and level')
      .add(1, { stage: alert.stage, level: String(alert.level) });
  }
}

/** One attempt to deliver an alert to a webhook: delivered, failed (retried), or refused (the destination is not allowed). */
export function countDeliveryAttempt(outcome: 'delivered' | 'failed' | 'refused'): void {
  activityMeter()
    ?.createCounter('ppks_webhook_delivery_attempts', undefined, 'Attempts to deliver an alert to a webhook, by outcome')
    .add(1, { outcome });
}

/** A delivery that gave up: its attempts ran out, or the receiver answered 410 Gone. */
export function countDeliveryFailed(): void {
  activityMeter()
    ?.createCounter(
      'ppks_webhook_deliveries_failed',
      undefined,
      'Alert deliveries to a webhook that gave up (attempts used up, 410 Gone, destination refused)',
    )
    .add(1);
}
