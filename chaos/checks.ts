/**
 * What must hold after the faults, checked against the case views (API) and the record of every
 * HTTP answer: each case where its path says; every step accepted; 503 with Retry-After during
 * outages and never a 500; the faults done as planned. What the database must hold is checked in
 * chaos/database-checks.ts.
 */
import type { Pool } from '../db/pool.js';
import type { Fault, UnexpectedExit } from './faults.js';
import type { ExchangeLog, Outcome } from './http.js';
import { PATHS, type ChaosOptions, type PathName } from './options.js';
import { type CaseRun, mismatch } from './case-driver.js';
import type { Settled } from './settle.js';

export interface CheckResult {
  name: string;
  pass: boolean;
  figures: string;
  details: string[];
}

export interface PathRow {
  path: PathName;
  cases: number;
  /** Expected end state -> how many cases should be there, and how many are. */
  ends: Map<string, { expected: number; there: number }>;
  wrong: number;
}

export interface CheckContext {
  pool: Pool;
  runs: CaseRun[];
  settled: Settled;
  log: ExchangeLog;
  faults: Fault[];
  plannedFaults: number;
  unexpectedExits: UnexpectedExit[];
  options: ChaosOptions;
}

const numberOf = (run: CaseRun) => run.caseNumber ?? `case #${run.spec.index} (no number)`;
export const labelOf = (run: CaseRun) => `${numberOf(run)} ${run.spec.path}${run.spec.variant === 'default' ? '' : `/${run.spec.variant}`}`;
export const fmt = (n: number) => n.toLocaleString('en-US');

export function caseStates(ctx: CheckContext): { check: CheckResult; rows: PathRow[] } {
  const rows: PathRow[] = PATHS.map((path) => ({ path, cases: 0, ends: new Map(), wrong: 0 }));
  const details: string[] = [];
  for (const run of ctx.runs) {
    const row = rows.find((r) => r.path === run.spec.path)!;
    row.cases++;
    const view = run.caseNumber ? ctx.settled.views.get(run.caseNumber) : undefined;
    const label = run.expected?.label ?? 'driver stopped early';
    const end = row.ends.get(label) ?? { expected: 0, there: 0 };
    row.ends.set(label, end);
    end.expected++;
    let problem = run.problem;
    if (!problem && !view) problem = 'the API never showed the case after the faults';
    if (!problem && view) problem = mismatch(run.expected!, view);
    if (problem) {
      row.wrong++;
      details.push(`${labelOf(run)}: ${problem}`);
    } else end.there++;
  }
  const wrong = rows.reduce((sum, row) => sum + row.wrong, 0);
  return {
    rows,
    check: {
      name: 'every case finished or waits where it should',
      pass: wrong === 0 && ctx.runs.length === ctx.options.cases,
      figures: `${fmt(ctx.runs.length - wrong)} of ${fmt(ctx.runs.length)} cases where their path ends (settled after ${(ctx.settled.settledAfterMs / 1000).toFixed(0)} s)`,
      details,
    },
  };
}

export function steps(ctx: CheckContext): CheckResult {
  const all = ctx.runs.flatMap((run) => run.steps.map((step) => ({ run, step })));
  const accepted = all.filter(({ step }) => step.accepted).length;
  const abandoned = all.filter(({ step }) => step.status === 0);
  const refused = all.filter(({ step }) => step.status >= 400);
  const after202 = all.filter(({ step }) => step.accepted && step.seen.includes(202)).length;
  const retried = all.filter(({ step }) => step.seen.length > 1).length;
  const replays = all.filter(({ step }) => step.replay);
  const replaysOk = replays.filter(({ step }) => step.replay!.detail === undefined).length;
  return {
    name: 'every step the agencies posted was accepted',
    pass: accepted === all.length && replaysOk === replays.length,
    figures:
      `${fmt(accepted)} of ${fmt(all.length)} accepted (${fmt(retried)} after retries, ${fmt(after202)} after a 202); ${abandoned.length} abandoned, ${refused.length} refused; ` +
      `${replaysOk} of ${replays.length} sent again (answer taken as lost) got the first result`,
    details: [
      ...[...abandoned, ...refused].map(
        ({ run, step }) => `${labelOf(run)} ${step.action}: ${step.status || 'gave up'} after ${step.seen.join(',')}`,
      ),
      ...replays
        .filter(({ step }) => step.replay!.detail !== undefined)
        .map(
          ({ run, step }) =>
            `${labelOf(run)} ${step.action}: accepted, then the same request again answered ${step.replay!.status || 'nothing (gave up)'} after ${step.replay!.seen.join(',')}: ${step.replay!.detail}`,
        ),
    ],
  };
}

export interface StatusTally {
  counts: Map<string, number>;
  total: number;
  with503: number;
  retryAfter503: number;
  during503: number;
  serverErrors: number;
  timeouts: number;
  /** Time to a 200 or 201, in ms: p50, p95, max. */
  latency: [number, number, number];
}

/** The answers of every attempt, and whether the 503s fell in (or just after) an outage. */
export function statusTally(ctx: CheckContext): StatusTally {
  const counts = new Map<string, number>();
  const windows = ctx.faults.map((fault) => [fault.startedAtMs, fault.endedAtMs + 35_000] as const);
  let with503 = 0;
  let retryAfter503 = 0;
  let during503 = 0;
  let serverErrors = 0;
  let timeouts = 0;
  for (const exchange of ctx.log.exchanges) {
    const key = String(exchange.outcome);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (exchange.outcome === 503) {
      with503++;
      if (exchange.retryAfter !== null && /^\d+$/.test(exchange.retryAfter)) retryAfter503++;
      if (windows.some(([from, to]) => exchange.at >= from && exchange.at <= to)) during503++;
    } else if (typeof exchange.outcome === 'number' && exchange.outcome >= 500) serverErrors++;
    if (exchange.outcome === 'timeout') timeouts++;
  }
  const ok = ctx.log.exchanges
    .filter((e) => e.outcome === 200 || e.outcome === 201)
    .map((e) => e.ms)
    .sort((a, b) => a - b);
  const at = (q: number) => ok[Math.min(ok.length - 1, Math.floor(q * ok.length))] ?? 0;
  return {
    counts,
    total: ctx.log.exchanges.length,
    with503,
    retryAfter503,
    during503,
    serverErrors,
    timeouts,
    latency: [at(0.5), at(0.95), ok.at(-1) ?? 0],
  };
}

export function statuses(ctx: CheckContext, tally: StatusTally): CheckResult {
  const details: string[] = [];
  const byRoute = new Map<string, Map<Outcome, number>>();
  for (const exchange of ctx.log.exchanges) {
    const bad =
      (typeof exchange.outcome === 'number' && exchange.outcome >= 500 && (exchange.outcome !== 503 || exchange.retryAfter === null)) ||
      exchange.outcome === 'network';
    if (!bad) continue;
    const route = byRoute.get(exchange.route) ?? new Map<Outcome, number>();
    route.set(exchange.outcome, (route.get(exchange.outcome) ?? 0) + 1);
    byRoute.set(exchange.route, route);
  }
  for (const [route, outcomes] of byRoute)
    details.push(`${route}: ${[...outcomes].map(([o, n]) => `${o === 503 ? '503 without Retry-After' : o} x${n}`).join(', ')}`);
  const network = tally.counts.get('network') ?? 0;
  return {
    name: '503 with Retry-After during outages, never 500',
    pass: tally.serverErrors === 0 && tally.with503 === tally.retryAfter503 && network === 0,
    figures: `${fmt(tally.total)} answers: ${fmt(tally.with503)} x 503 (${fmt(tally.retryAfter503)} with Retry-After, ${fmt(tally.during503)} during or within 35 s of a fault), ${tally.serverErrors} x other 5xx, ${network} connection failures, ${tally.timeouts} client timeouts (30 s)`,
    details,
  };
}

export function faultsDone(ctx: CheckContext): CheckResult {
  const failed = ctx.faults.filter((fault) => fault.error);
  const count = (kind: Fault['kind']) => ctx.faults.filter((fault) => fault.kind === kind && !fault.error).length;
  const details = [
    ...failed.map((fault) => `${fault.kind} at ${(fault.startedAtMs / 1000).toFixed(0)} s failed: ${fault.error}`),
    ...ctx.unexpectedExits.map(
      (exit) => `${exit.process} died on its own at ${(exit.atMs / 1000).toFixed(0)} s (restarted by the watchdog)`,
    ),
  ];
  return {
    name: 'faults injected as planned, no process died on its own',
    pass: failed.length === 0 && ctx.faults.length === ctx.plannedFaults && ctx.unexpectedExits.length === 0,
    figures: `${count('worker_kill')}/${ctx.options.workerKills} worker kill -9, ${count('temporal_restart')}/${ctx.options.temporalRestarts} Temporal restart, ${count('postgres_restart')}/${ctx.options.postgresRestarts} PostgreSQL restart; ${ctx.unexpectedExits.length} unexpected exits`,
    details,
  };
}
