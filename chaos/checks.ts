/**
 * What must hold after the faults, checked against the case views (API) and the record of every
 * HTTP answer: each case where its path says; every step accepted; 503 with Retry-After during
 * outages and never a 500; the faults done as planned. What the database must hold is checked in
 * chaos/database-checks.ts.
 */
import type { Pool } from '../db/pool.js';
import type { BedHistory } from './bed-history.js';
import type { Fault, UnexpectedExit } from './faults.js';
import type { Exchange, ExchangeLog, Outcome } from './http.js';
import { PATHS, type ChaosOptions, type PathName } from './options.js';
import { type CaseRun, mismatch } from './case-driver.js';
import type { Settled } from './settle.js';
import { attribute, lagAfterFault, requestsInFlight, stepsInFlight } from './windows.js';

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
  bedHistory: BedHistory;
  /** Per case, when its workflow history shows work that timed out on a worker (chaos/held-work.ts). */
  timeouts: Map<string, number[]>;
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
  /** 503s whose request was in flight during a fault or its grace after. */
  during503: number;
  /** The 503s no fault explains. */
  unexplained503: Exchange[];
  /** The 503s explained only as cases waiting on an activity a killed worker held. */
  held503: number;
  /** Per fault (same order as ctx.faults): the 503s it explains, the requests and the steps in flight while it lasted. */
  perFault: { s503: number; s503RetryAfter: number; requests: number; steps: number }[];
  /** The latest a 503 was sent after the end of the fault before it (ms; negative: during it). */
  latest503AfterFaultMs: number | null;
  serverErrors: number;
  timeouts: number;
  /** Time to a 200 or 201, in ms: p50, p95, max. */
  latency: [number, number, number];
}

const withRetryAfter = (exchange: Exchange) => exchange.retryAfter !== null && /^\d+$/.test(exchange.retryAfter);

/** The answers of every attempt, and which fault each 503 falls in (chaos/windows.ts). */
export function statusTally(ctx: CheckContext): StatusTally {
  const counts = new Map<string, number>();
  let serverErrors = 0;
  let timeouts = 0;
  for (const exchange of ctx.log.exchanges) {
    const key = String(exchange.outcome);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (typeof exchange.outcome === 'number' && exchange.outcome >= 500 && exchange.outcome !== 503) serverErrors++;
    if (exchange.outcome === 'timeout') timeouts++;
  }
  const all503 = ctx.log.exchanges.filter((e) => e.outcome === 503);
  const { perFault, held, unexplained } = attribute(ctx.faults, all503, {
    graceMs: ctx.options.graceMs,
    heldMs: ctx.options.workerHeldMs,
    all: ctx.log.exchanges,
    timeouts: ctx.timeouts,
  });
  const steps = ctx.runs.flatMap((run) => run.steps);
  const heldSet = new Set(held);
  const lags = all503
    .filter((e) => !heldSet.has(e))
    .map((e) => lagAfterFault(ctx.faults, e))
    .filter((lag): lag is number => lag !== null);
  const ok = ctx.log.exchanges
    .filter((e) => e.outcome === 200 || e.outcome === 201)
    .map((e) => e.ms)
    .sort((a, b) => a - b);
  const at = (q: number) => ok[Math.min(ok.length - 1, Math.floor(q * ok.length))] ?? 0;
  return {
    counts,
    total: ctx.log.exchanges.length,
    with503: all503.length,
    retryAfter503: all503.filter(withRetryAfter).length,
    during503: all503.length - unexplained.length,
    unexplained503: unexplained,
    held503: held.length,
    perFault: ctx.faults.map((fault, i) => ({
      s503: perFault[i]!.length,
      s503RetryAfter: perFault[i]!.filter(withRetryAfter).length,
      requests: requestsInFlight(fault, ctx.log.exchanges),
      steps: stepsInFlight(fault, steps),
    })),
    latest503AfterFaultMs: lags.length ? Math.max(...lags) : null,
    serverErrors,
    timeouts,
    latency: [at(0.5), at(0.95), ok.at(-1) ?? 0],
  };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Every answer of every attempt: 503 only while a fault lasted or within the grace after it, each
 * with Retry-After; no other 5xx, no connection failure, no request left hanging to the client's
 * timeout.
 */
export function statuses(ctx: CheckContext, tally: StatusTally): CheckResult {
  const details: string[] = [];
  const byRoute = new Map<string, Map<Outcome, number>>();
  for (const exchange of ctx.log.exchanges) {
    const bad =
      (typeof exchange.outcome === 'number' && exchange.outcome >= 500 && (exchange.outcome !== 503 || !withRetryAfter(exchange))) ||
      exchange.outcome === 'network' ||
      exchange.outcome === 'timeout';
    if (!bad) continue;
    const route = byRoute.get(exchange.route) ?? new Map<Outcome, number>();
    route.set(exchange.outcome, (route.get(exchange.outcome) ?? 0) + 1);
    byRoute.set(exchange.route, route);
  }
  for (const [route, outcomes] of byRoute)
    details.push(`${route}: ${[...outcomes].map(([o, n]) => `${o === 503 ? '503 without Retry-After' : o} x${n}`).join(', ')}`);
  for (const e of tally.unexplained503)
    details.push(
      `${e.route}: 503 sent at t=${s(e.at)}, answered after ${s(e.ms)}, outside every fault and its ${s(ctx.options.graceMs)} grace`,
    );
  const network = tally.counts.get('network') ?? 0;
  const grace = `${ctx.options.graceMs / 1000} s`;
  return {
    name: `503 only during a fault or ${grace} after, with Retry-After; never 500; no timeout`,
    pass:
      tally.serverErrors === 0 &&
      tally.with503 === tally.retryAfter503 &&
      tally.unexplained503.length === 0 &&
      network === 0 &&
      tally.timeouts === 0,
    figures:
      `${fmt(tally.total)} answers: ${fmt(tally.with503)} x 503 (${fmt(tally.retryAfter503)} with Retry-After, ${fmt(tally.during503 - tally.held503)} during a fault or within ${grace} after, ${tally.held503} to cases a kill hit within ${ctx.options.workerHeldMs / 1000} s (${ctx.timeouts.size} cases show work that timed out on a worker), ${tally.unexplained503.length} outside; ` +
      `the latest sent ${tally.latest503AfterFaultMs === null ? '-' : tally.latest503AfterFaultMs <= 0 ? 'during its fault' : `${s(tally.latest503AfterFaultMs)} after its fault's end`}), ${tally.serverErrors} x other 5xx, ${network} connection failures, ${tally.timeouts} client timeouts (30 s)`,
    details,
  };
}

/** Each restart of Temporal and of PostgreSQL was seen by the agencies: at least one 503 with Retry-After. */
export function restartsAnswered503(ctx: CheckContext, tally: StatusTally): CheckResult {
  const restarts = ctx.faults.map((fault, i) => ({ fault, seen: tally.perFault[i]! })).filter(({ fault }) => fault.kind !== 'worker_kill');
  const missed = restarts.filter(({ seen }) => seen.s503RetryAfter === 0);
  const wanted = ctx.options.temporalRestarts + ctx.options.postgresRestarts;
  return {
    name: 'each Temporal and PostgreSQL restart answered 503 with Retry-After',
    pass: missed.length === 0 && restarts.length === wanted,
    figures:
      restarts
        .map(({ fault, seen }) => `${KIND[fault.kind]} at ${s(fault.startedAtMs)}: ${seen.s503RetryAfter} x 503 with Retry-After`)
        .join('; ') || 'no restart in this run',
    details: [
      ...missed.map(
        ({ fault }) =>
          `${KIND[fault.kind]} at t=${s(fault.startedAtMs)}: no 503 with Retry-After while it lasted or ${ctx.options.graceMs / 1000} s after`,
      ),
      ...(restarts.length === wanted ? [] : [`${restarts.length} restarts done, ${wanted} planned`]),
    ],
  };
}

const KIND: Record<Fault['kind'], string> = {
  worker_kill: 'worker kill -9',
  temporal_restart: 'Temporal restart',
  postgres_restart: 'PostgreSQL restart',
};

/**
 * Every planned fault done (a worker kill: a live worker killed and a new pid ready), each while
 * requests and steps were in flight; no process died on its own.
 */
export function faultsDone(ctx: CheckContext, tally: StatusTally): CheckResult {
  const failed = ctx.faults.filter((fault) => fault.error);
  const idle = ctx.faults.filter((_, i) => tally.perFault[i]!.requests === 0 || tally.perFault[i]!.steps === 0);
  const count = (kind: Fault['kind']) => ctx.faults.filter((fault) => fault.kind === kind && !fault.error).length;
  const details = [
    ...failed.map((fault) => `${fault.kind} at ${(fault.startedAtMs / 1000).toFixed(0)} s failed: ${fault.error}`),
    ...idle.map((fault) => {
      const seen = tally.perFault[ctx.faults.indexOf(fault)]!;
      return `${KIND[fault.kind]} at t=${s(fault.startedAtMs)} hit nothing: ${seen.requests} requests and ${seen.steps} steps in flight`;
    }),
    ...ctx.unexpectedExits.map(
      (exit) => `${exit.process} died on its own at ${(exit.atMs / 1000).toFixed(0)} s (restarted by the watchdog)`,
    ),
  ];
  const requests = tally.perFault.map((f) => f.requests);
  const steps = tally.perFault.map((f) => f.steps);
  return {
    name: 'faults injected as planned, each on work in flight; no process died on its own',
    pass: failed.length === 0 && idle.length === 0 && ctx.faults.length === ctx.plannedFaults && ctx.unexpectedExits.length === 0,
    figures:
      `${count('worker_kill')}/${ctx.options.workerKills} worker kill -9 (pid changed), ${count('temporal_restart')}/${ctx.options.temporalRestarts} Temporal restart, ${count('postgres_restart')}/${ctx.options.postgresRestarts} PostgreSQL restart; ` +
      `${ctx.faults.length - idle.length}/${ctx.faults.length} on work in flight (at least ${requests.length ? Math.min(...requests) : 0} requests and ${steps.length ? Math.min(...steps) : 0} steps); ${ctx.unexpectedExits.length} unexpected exits`,
    details,
  };
}
