/**
 * What must hold after the faults, checked against the case views (API), the database and the
 * record of every HTTP answer: each case where its path says; no bed held twice or overbooked;
 * no alert raised twice; every accepted step in the audit trail exactly once; 503 with
 * Retry-After during outages and never a 500.
 */
import { verifyAuditTrail } from '../audit/verify.js';
import type { Pool } from '../db/pool.js';
import type { Fault, UnexpectedExit } from './faults.js';
import type { ExchangeLog, Outcome } from './http.js';
import { PATHS, type ChaosOptions, type PathName } from './options.js';
import { type CaseRun, mismatch } from './case-driver.js';
import { PLACEMENT_UPT, SHORT_SLA_ALERTS, SHORTAGE_UPT } from './setup.js';
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
const labelOf = (run: CaseRun) => `${numberOf(run)} ${run.spec.path}${run.spec.variant === 'default' ? '' : `/${run.spec.variant}`}`;
const fmt = (n: number) => n.toLocaleString('en-US');

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

export async function caseIndex(ctx: CheckContext): Promise<CheckResult> {
  const details: string[] = [];
  // One case per intake: a retried intake never opened a second one.
  const [indexed, intakes] = await Promise.all([
    ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'),
    ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM intake_requests'),
  ]);
  const opened = ctx.runs.filter((run) => run.caseNumber).length;
  if (indexed.rows[0]!.n !== opened || intakes.rows[0]!.n !== opened) {
    details.push(`${opened} intakes answered, but ${intakes.rows[0]!.n} intake requests and ${indexed.rows[0]!.n} cases stored`);
  }
  let agree = 0;
  const numbered = ctx.runs.filter((run) => run.caseNumber);
  for (const run of numbered) {
    const view = ctx.settled.views.get(run.caseNumber!);
    const indexed = ctx.settled.index.get(run.caseNumber!);
    if (view && indexed && view.stage === indexed.stage && view.status === indexed.status) agree++;
    else
      details.push(
        `${labelOf(run)}: workflow ${view?.stage ?? '?'}/${view?.status ?? '?'}, case index ${indexed?.stage ?? 'missing'}/${indexed?.status ?? '-'}`,
      );
  }
  return {
    name: 'one case per intake; the case index agrees with the workflows',
    pass: details.length === 0,
    figures: `${fmt(indexed.rows[0]!.n)} cases stored for ${fmt(opened)} intakes; ${fmt(agree)} of ${fmt(numbered.length)} show the same stage and status in the index`,
    details,
  };
}

export async function beds(ctx: CheckContext): Promise<CheckResult> {
  const numbers = ctx.runs.flatMap((run) => (run.caseNumber ? [run.caseNumber] : []));
  const details: string[] = [];
  const twice = await ctx.pool.query<{ case_number: string; n: number }>(
    `SELECT case_number, count(*)::int AS n FROM bed_reservations GROUP BY case_number HAVING count(*) > 1`,
  );
  for (const row of twice.rows) details.push(`${row.case_number}: ${row.n} reservation rows`);
  const overbooked = await ctx.pool.query<{ upt_code: string; sex: string; age_group: string; beds: number; live: number }>(
    `SELECT c.upt_code, c.sex, c.age_group, c.beds, count(b.case_number)::int AS live
     FROM upt_capacity c LEFT JOIN bed_reservations b
       ON b.upt_code = c.upt_code AND b.sex = c.sex AND b.age_group = c.age_group AND b.status <> 'released'
     GROUP BY c.upt_code, c.sex, c.age_group, c.beds HAVING count(b.case_number) > c.beds`,
  );
  for (const row of overbooked.rows) details.push(`${row.upt_code} ${row.sex}/${row.age_group}: ${row.live} people in ${row.beds} beds`);
  const { rows } = await ctx.pool.query<{ case_number: string; upt_code: string; status: string }>(
    'SELECT case_number, upt_code, status FROM bed_reservations WHERE case_number = ANY($1)',
    [numbers],
  );
  const reservation = new Map(rows.map((row) => [row.case_number, row]));
  let leaked = 0;
  let mismatched = 0;
  let placedAndFreed = 0;
  let placedCases = 0;
  for (const run of ctx.runs) {
    if (!run.caseNumber) continue;
    const view = ctx.settled.views.get(run.caseNumber);
    const bed = reservation.get(run.caseNumber);
    const live = bed && bed.status !== 'released' ? bed : undefined;
    if (view?.status === 'closed' && live) {
      leaked++;
      details.push(`${labelOf(run)}: closed but still holds a ${live.status} bed in ${live.upt_code}`);
    } else if (view && view.status === 'open' && (live?.upt_code ?? null) !== view.upt) {
      mismatched++;
      details.push(`${labelOf(run)}: the case shows UPT ${view.upt}, the database a live bed in ${live?.upt_code ?? 'none'}`);
    }
    const placedPath = run.expected?.outcome === 'independent';
    if (placedPath) {
      placedCases++;
      if (bed?.status === 'released' && bed.upt_code === PLACEMENT_UPT) placedAndFreed++;
      else
        details.push(
          `${labelOf(run)}: expected a freed bed in ${PLACEMENT_UPT}, found ${bed ? `${bed.status} in ${bed.upt_code}` : 'no reservation'}`,
        );
    }
  }
  const shortage = ctx.runs.filter((run) => run.spec.path === 'bed_shortage');
  const holding = shortage.filter((run) => run.caseNumber && reservation.get(run.caseNumber)?.status === 'admitted').length;
  const waiting = shortage.filter((run) => run.expected?.upt === null).length;
  const wantHolding = Math.min(ctx.options.shortageBeds, shortage.length);
  if (holding !== wantHolding) details.push(`${SHORTAGE_UPT}: ${holding} people admitted, expected ${wantHolding} (its beds)`);
  if (holding + waiting !== shortage.length)
    details.push(`${SHORTAGE_UPT}: ${holding} admitted + ${waiting} waiting is not the ${shortage.length} cases sent there`);
  return {
    name: '0 duplicate bed reservations',
    pass: details.length === 0,
    figures:
      `${twice.rowCount} cases with two reservations, ${overbooked.rowCount} overbooked bed classes, ${leaked} beds kept after closing, ${mismatched} cases disagreeing with the beds table; ` +
      `${placedAndFreed}/${placedCases} placements reserved and freed a bed; ${SHORTAGE_UPT}: ${ctx.options.shortageBeds} beds, ${holding} admitted, ${waiting} waiting`,
    details,
  };
}

export async function alerts(ctx: CheckContext): Promise<CheckResult> {
  const numbers = ctx.runs.flatMap((run) => (run.caseNumber ? [run.caseNumber] : []));
  const details: string[] = [];
  const { rows } = await ctx.pool.query<{
    alert_key: string;
    case_number: string;
    kind: string;
    step: string;
    level: number;
    due_at: Date | null;
  }>('SELECT alert_key, case_number, kind, step, level, due_at FROM alerts WHERE case_number = ANY($1)', [numbers]);
  // Per SLA clock and rung (the alert key) and, in case a clock were started twice, per case, step, rung and due time.
  const byKey = new Map<string, number>();
  const byRung = new Map<string, number>();
  const perCase = new Map<string, string[]>();
  for (const row of rows) {
    const rung = row.alert_key.slice(row.alert_key.lastIndexOf('/') + 1);
    byKey.set(row.alert_key, (byKey.get(row.alert_key) ?? 0) + 1);
    const semantic = `${row.case_number} ${row.kind} ${row.step} ${rung} ${row.due_at?.toISOString() ?? '-'}`;
    byRung.set(semantic, (byRung.get(semantic) ?? 0) + 1);
    perCase.set(row.case_number, [...(perCase.get(row.case_number) ?? []), row.kind === 'no_bed' ? 'no_bed' : rung]);
  }
  const duplicates = [...byKey].filter(([, n]) => n > 1).length + [...byRung].filter(([, n]) => n > 1).length;
  for (const [key, n] of [...byKey, ...byRung]) if (n > 1) details.push(`${key}: ${n} rows`);
  let ladders = 0;
  let noBed = 0;
  for (const run of ctx.runs) {
    if (!run.caseNumber) continue;
    const raised = [...(perCase.get(run.caseNumber) ?? [])].sort();
    let expected: string[] = [];
    if (run.spec.path === 'left_at_identification') expected = SHORT_SLA_ALERTS;
    if (run.spec.path === 'bed_shortage' && run.expected?.upt === null) expected = ['no_bed'];
    if (JSON.stringify(raised) !== JSON.stringify([...expected].sort())) {
      details.push(`${labelOf(run)}: alerts [${raised.join(', ')}], expected [${expected.join(', ')}]`);
    } else if (expected.length === SHORT_SLA_ALERTS.length) ladders++;
    else if (expected.length === 1) noBed++;
  }
  return {
    name: '0 duplicate alerts',
    pass: details.length === 0,
    figures: `${fmt(rows.length)} alerts, ${duplicates} duplicates; ${ladders} short-SLA cases with exactly reminder + levels 1-3, ${noBed} waiting cases with exactly one no_bed`,
    details,
  };
}

export async function auditTrail(ctx: CheckContext): Promise<CheckResult> {
  const numbers = ctx.runs.flatMap((run) => (run.caseNumber ? [run.caseNumber] : []));
  const { rows } = await ctx.pool.query<{ seq: string; entry_key: string; case_number: string; action: string; request_id: string | null }>(
    'SELECT seq, entry_key, case_number, action, request_id FROM audit_log WHERE case_number = ANY($1)',
    [numbers],
  );
  const byRequest = new Map<string, typeof rows>();
  for (const row of rows)
    byRequest.set(row.request_id ?? `(none) ${row.seq}`, [...(byRequest.get(row.request_id ?? `(none) ${row.seq}`) ?? []), row]);
  const details: string[] = [];
  let once = 0;
  let missing = 0;
  let twice = 0;
  const explained = new Set<string>();
  const accepted = ctx.runs.flatMap((run) => run.steps.filter((step) => step.accepted).map((step) => ({ run, step })));
  for (const { run, step } of accepted) {
    explained.add(step.requestId);
    const entries = (byRequest.get(step.requestId) ?? []).filter((row) => row.case_number === run.caseNumber && row.action === step.action);
    if (entries.length === 1) once++;
    else if (entries.length === 0) {
      missing++;
      details.push(`${labelOf(run)} ${step.action} (${step.requestId}): accepted (${step.seen.join(',')}) but not in the audit trail`);
    } else {
      twice++;
      details.push(
        `${labelOf(run)} ${step.action} (${step.requestId}): ${entries.length} audit entries (${entries.map((e) => e.entry_key).join(', ')})`,
      );
    }
  }
  // An entry whose step the agency was never told was accepted: it was refused or abandoned on a retry.
  const toldOtherwise = new Map(
    ctx.runs.flatMap((run) => run.steps.filter((step) => !step.accepted).map((step) => [step.requestId, step] as const)),
  );
  const unexplained = rows.filter((row) => !row.request_id || !explained.has(row.request_id));
  for (const row of unexplained) {
    const step = row.request_id ? toldOtherwise.get(row.request_id) : undefined;
    details.push(
      step
        ? `audit entry ${row.seq} ${row.action} on ${row.case_number} (request ${row.request_id}): recorded as accepted, but the agency's retries got ${step.seen.join(',')}${step.status ? '' : ' (gave up)'}`
        : `audit entry ${row.seq} ${row.action} on ${row.case_number} (request ${row.request_id}) matches no step the agencies posted`,
    );
  }
  const chain = await verifyAuditTrail(ctx.pool);
  if (!chain.intact) details.push(`hash chain broken at entry ${chain.seq}: ${chain.problem}`);
  return {
    name: 'the audit trail holds every accepted step exactly once',
    pass: details.length === 0,
    figures: `${fmt(accepted.length)} accepted steps, ${fmt(rows.length)} audit entries: ${fmt(once)} once, ${missing} missing, ${twice} more than once, ${unexplained.length} unexplained; hash chain ${chain.intact ? `intact (${fmt(chain.entries)} entries)` : 'BROKEN'}`,
    details,
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
