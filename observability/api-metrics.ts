/**
 * The API's Prometheus metrics (prom-client), served on API_METRICS_PORT by the API process:
 * HTTP latency, the steps agencies post (accepted or refused), and gauges read from PostgreSQL
 * at each scrape (open cases, open alerts, free beds). Labels are route templates, step names,
 * roles, stages, UPT codes and status codes: never a case number, an agency or a person.
 * What the worker counts (SLA breaches, webhook deliveries) is in ./worker-metrics.ts.
 *
 * prom-client: the Prometheus client most Node services use, maintained for a decade, no native
 * code, and it writes the text format Prometheus reads with nothing in between (the OpenTelemetry
 * metrics SDK would need its Prometheus exporter and a view layer for the same result).
 */
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, type LabelValues, Registry } from 'prom-client';
import type { Pool } from '../db/pool.js';
import { STAGES } from '../domain/case.js';
import { STEP_NAMES, STEPS } from '../domain/steps.js';
import { logger } from '../logger.js';
import { routeTemplate } from './route-template.js';

/** Counted by every app of the process; served only where the API process starts its metrics server. */
const registry = new Registry();

const httpDuration = new Histogram({
  name: 'ppks_http_request_duration_seconds',
  help: 'Time from request to response of the agency API, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  // A step is an Update that waits on activities: mostly under a second, the deadline at 10 s.
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const stepsAccepted = new Counter({
  name: 'ppks_steps_accepted_total',
  help: 'Steps posted on cases and accepted (200, or 202 while the case still works on it), by step and role of the posting agency',
  labelNames: ['step', 'role'] as const,
  registers: [registry],
});

const stepsRefused = new Counter({
  name: 'ppks_steps_refused_total',
  help: 'Steps posted on cases and refused with a 4xx (invalid body 400, out of scope 403, unknown case 404, not allowed now 409), by step, role and status',
  labelNames: ['step', 'role', 'status'] as const,
  registers: [registry],
});

/** Opening a case is counted with the steps, under this name. */
export const INTAKE_STEP = 'intake';

// Every step and role that may post it starts at 0, so that rate() sees the first one.
for (const step of STEP_NAMES) {
  for (const role of Object.keys(STEPS[step].grants)) stepsAccepted.labels(step, role).inc(0);
}

/** Times every request and labels it with its route template (app-wide middleware, first in line). */
export const httpMetrics: RequestHandler = (req, res, next) => {
  const stop = httpDuration.startTimer();
  res.once('finish', () => stop({ method: req.method, route: routeTemplate(req), status: String(res.statusCode) }));
  next();
};

/**
 * Counts the outcome of one step's requests (middleware in front of the step's route). Requests
 * refused before the route is known (no valid API key, 429, a body that is not JSON or too large)
 * never reach it; 5xx are outages, counted only in the HTTP histogram.
 */
export function countStep(step: string): RequestHandler {
  return (_req, res, next) => {
    res.once('finish', () => {
      const role = (res.locals.actor as { role?: string } | undefined)?.role ?? 'none';
      if (res.statusCode < 300) stepsAccepted.labels(step, role).inc();
      else if (res.statusCode < 500) stepsRefused.labels(step, role, String(res.statusCode)).inc();
    });
    next();
  };
}

/**
 * The registry to serve: the counters above, Node's process metrics, and the gauges read from
 * PostgreSQL at each scrape. Each gauge is one grouped query on an index or a small table; every
 * API process answers the same figures (take max() across them).
 */
export function apiMetricsRegistry(pool: Pool): Registry {
  collectDefaultMetrics({ register: registry });
  const openStages = STAGES.filter((stage) => stage !== 'closed');
  databaseGauge(pool, {
    name: 'ppks_cases_open',
    help: 'Open cases by stage, from the case index',
    labelNames: ['stage'],
    sql: `SELECT stage, count(*)::int AS value FROM cases WHERE status <> 'closed' GROUP BY stage`,
    zeros: openStages.map((stage) => ({ stage })),
  });
  databaseGauge(pool, {
    name: 'ppks_alerts_open',
    help: 'Alerts not yet acknowledged (snoozed ones included), by kind',
    labelNames: ['kind'],
    sql: `SELECT kind, count(*)::int AS value FROM alerts WHERE acknowledged_at IS NULL GROUP BY kind`,
    zeros: [],
  });
  databaseGauge(pool, {
    name: 'ppks_beds_free',
    help: 'Beds free per UPT and bed class (beds of the class less its live reservations; one from before the registry counts against every class)',
    labelNames: ['upt', 'sex', 'age_group'],
    sql: `SELECT c.upt_code AS upt, c.sex, c.age_group, greatest(c.beds - (SELECT count(*) FROM bed_reservations b
            WHERE b.upt_code = c.upt_code AND b.status <> 'released' AND (b.sex IS NULL OR (b.sex = c.sex AND b.age_group = c.age_group))), 0)::int AS value
          FROM upt_capacity c`,
    zeros: [],
  });
  return registry;
}

interface DatabaseGauge<L extends string> {
  name: string;
  help: string;
  labelNames: L[];
  /** One row per series: its labels and `value`. */
  sql: string;
  /** Series shown as 0 when the query has no row for them. */
  zeros: Record<L, string>[];
}

function databaseGauge<L extends string>(pool: Pool, { name, help, labelNames, sql, zeros }: DatabaseGauge<L>): void {
  new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const { rows } = await pool.query<Record<L, string> & { value: number }>(sql);
        for (const labels of zeros) this.set(labels as LabelValues<L>, 0);
        for (const { value, ...labels } of rows) this.set(labels as unknown as LabelValues<L>, value);
      } catch (error) {
        // The scrape goes on without this gauge (no series): the database's state is /readyz's to tell.
        logger.warn({ metric: name, err: (error as Error).message }, 'metric not collected: database unavailable');
      }
    },
  });
}
