/**
 * What the database must hold after the faults: one case per intake and a case index that agrees
 * with the workflows; no bed held twice or overbooked; no alert raised twice; every accepted step
 * in the audit trail exactly once, with its hash chain intact. Each check can fail: none only
 * restates a key or a unique constraint of the schema.
 */
import { verifyAuditTrail } from '../audit/verify.js';
import { type CheckContext, type CheckResult, fmt, labelOf } from './checks.js';
import { reservedTwice } from './bed-history.js';
import { PLACEMENT_UPT, SHORT_SLA_ALERTS, SHORTAGE_UPT } from './setup.js';

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
  // Over the run (sampled), since the table keeps one row per case: see chaos/bed-history.ts.
  const history = ctx.bedHistory;
  const twice = reservedTwice(history);
  for (const [caseNumber, seen] of twice) details.push(`${caseNumber}: reserved ${seen.length} times over the run (${seen.join('; ')})`);
  for (const [bedClass, worst] of history.overbooked)
    details.push(`${bedClass}: ${worst.live} people in ${worst.beds} beds at t=${(worst.atMs / 1000).toFixed(1)} s`);
  if (history.samples === 0) details.push('the beds were never sampled during the run');
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
    name: 'no bed reserved twice, none overbooked, over the run',
    pass: details.length === 0,
    figures:
      `${twice.length} of ${history.reservations.size} cases reserved more than once and ${history.overbooked.size} bed classes over capacity in ${history.samples} samples (every 0.5 s) of the run; ` +
      `at the end ${overbooked.rowCount} overbooked bed classes, ${leaked} beds kept after closing, ${mismatched} cases disagreeing with the beds table; ` +
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
  // One alert per case, kind, step and level: a clock started twice, or a retried activity
  // that stored its alert under another key, shows here (alert_key is unique, so it cannot).
  const perLevel = new Map<string, number>();
  const perCase = new Map<string, string[]>();
  for (const row of rows) {
    const rung = row.alert_key.slice(row.alert_key.lastIndexOf('/') + 1);
    // Reminders carry the level they precede: one per rung (reminder-50).
    const key = `${row.case_number} ${row.kind} ${row.step} ${row.kind === 'sla_reminder' ? rung : `level ${row.level}`}`;
    perLevel.set(key, (perLevel.get(key) ?? 0) + 1);
    perCase.set(row.case_number, [...(perCase.get(row.case_number) ?? []), row.kind === 'no_bed' ? 'no_bed' : rung]);
  }
  const duplicated = [...perLevel].filter(([, n]) => n > 1);
  for (const [key, n] of duplicated) details.push(`${key}: ${n} alerts`);
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
    name: 'one alert per case, step and level; the expected ones',
    pass: details.length === 0,
    figures: `${fmt(rows.length)} alerts, ${duplicated.length} (case, kind, step, level) raised more than once; ${ladders} short-SLA cases with exactly reminder + levels 1-3, ${noBed} waiting cases with exactly one no_bed`,
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
