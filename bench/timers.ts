/**
 * Many SLA timers due at the same instant, and how late their breaches come. SLA policies and
 * working hours are data, so the benchmark makes the due times coincide the way a supervisor
 * could: Dukcapil's office hours are set to open at the next whole minute, and the identification
 * policy of one PPKS type (pemulung) is set to one working second. Every case of that type opened
 * before the office opens is then due at opening + 1 s, to the millisecond.
 *
 * Two lags per timer, both from that due instant: until the server fired the timer (the
 * TimerFired event in the case's history), and until the breach alert was stored in PostgreSQL
 * (alerts.created_at: the timer, a workflow task, the raiseAlert activity and its commit).
 */
// The default export: @temporalio/proto is CommonJS, without named exports for Node's ESM loader.
import proto from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time.js';
import { DateTime } from 'luxon';
import { SLA_ZONE } from '../domain/sla.js';
import { caseWorkflowId } from '../workflows/messages.js';
import type { BenchStack } from './bench-stack.js';
import type { Growth } from './growth.js';
import { forEachConcurrently, sleep } from './load.js';
import { Latencies, type LatencySummary } from './stats.js';

const TIMER_TYPE = 'pemulung';
/** Long enough for the last breach to be stored, however loaded the worker is. */
const WAIT_FOR_ALERTS_MS = 300_000;

export interface TimerBurst {
  timers: number;
  /** Open cases on the server when the timers fell due (these included). */
  openCases: number;
  dueAt: string;
  /** False when some case was opened after the office opened: its timer fell due later, alone. */
  allDueAtOnce: boolean;
  alertsStored: number;
  timerFiredLag: LatencySummary;
  breachStoredLag: LatencySummary;
}

/** The burst set up: the office opening set, the cases opened; their timers are pending. */
export interface ArmedTimerBurst {
  /** Waits for the due instant and for every breach to be stored, then measures the lags. */
  collect(): Promise<TimerBurst>;
}

export async function armTimerBurst(bench: BenchStack, growth: Growth, count: number, openingPerSecond: number): Promise<ArmedTimerBurst> {
  const opensAt = await officeOpeningAfter(Math.ceil((count / openingPerSecond) * 1.5) + 5);
  const dueMs = opensAt.toMillis() + 1000;
  await clearHoliday(bench, opensAt);
  await supervisor(bench, 'PUT', '/v1/working-hours/dukcapil', {
    schedule: 'office_hours',
    days: [opensAt.weekday],
    opens: opensAt.toFormat('HH:mm'),
    closes: '23:59',
  });
  await supervisor(bench, 'PUT', `/v1/sla-policies/identification/ppks-types/${TIMER_TYPE}`, {
    duration: 'PT1S',
    calendar: 'working_days',
    escalation: [{ level: 1, after: 'PT0S', recipient: 'owner' }],
    reason: 'Benchmark: identification timers of this type due at the same instant',
  });
  const { caseNumbers } = await growth.openMore(count, TIMER_TYPE);
  return {
    async collect() {
      await sleep(Math.max(0, dueMs - Date.now()));
      const stored = await waitForAlerts(bench, caseNumbers);
      return {
        timers: count,
        openCases: growth.openCases,
        dueAt: DateTime.fromMillis(dueMs, { zone: SLA_ZONE }).toISO()!,
        allDueAtOnce: stored.every((alert) => alert.dueMs === dueMs),
        alertsStored: stored.length,
        timerFiredLag: (await timerFiredLags(bench, stored)).summary(),
        breachStoredLag: lagsFrom(stored.map((alert) => alert.createdMs - alert.dueMs)).summary(),
      };
    },
  };
}

/** The next whole minute (Asia/Jakarta) at least `leadSeconds` away, before 23:59 the same day. */
async function officeOpeningAfter(leadSeconds: number): Promise<DateTime> {
  for (;;) {
    const opens = DateTime.now().setZone(SLA_ZONE).plus({ seconds: leadSeconds }).plus({ minutes: 1 }).startOf('minute');
    if (opens.hasSame(DateTime.now().setZone(SLA_ZONE), 'day') && opens.toFormat('HH:mm') < '23:59') return opens;
    // Too close to midnight for office hours on one day: wait for the next day.
    await sleep(60_000);
  }
}

/** A holiday today would push the opening to the next working day. */
async function clearHoliday(bench: BenchStack, day: DateTime): Promise<void> {
  const date = day.toISODate()!;
  const { rowCount } = await bench.stack.pool.query('SELECT 1 FROM holidays WHERE date = $1 AND removed_at IS NULL', [date]);
  if (rowCount) await supervisor(bench, 'DELETE', `/v1/holidays/${date}`);
}

async function supervisor(bench: BenchStack, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${bench.stack.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${bench.agencies.supervisor.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
}

interface StoredAlert {
  caseNumber: string;
  dueMs: number;
  createdMs: number;
}

async function waitForAlerts(bench: BenchStack, caseNumbers: string[]): Promise<StoredAlert[]> {
  const deadline = Date.now() + WAIT_FOR_ALERTS_MS;
  for (;;) {
    const { rows } = await bench.stack.pool.query<{ case_number: string; due_ms: string; created_ms: string }>(
      `SELECT case_number, (extract(epoch FROM due_at) * 1000)::bigint AS due_ms, (extract(epoch FROM created_at) * 1000)::bigint AS created_ms
       FROM alerts WHERE kind = 'sla_breach' AND step = 'identification' AND case_number = ANY($1)`,
      [caseNumbers],
    );
    if (rows.length === caseNumbers.length || Date.now() > deadline) {
      return rows.map((row) => ({ caseNumber: row.case_number, dueMs: Number(row.due_ms), createdMs: Number(row.created_ms) }));
    }
    await sleep(500);
  }
}

/** From each case's history: when its first timer (the identification SLA) fired. */
async function timerFiredLags(bench: BenchStack, alerts: StoredAlert[]): Promise<Latencies> {
  const lags: number[] = [];
  await forEachConcurrently(alerts, 16, async ({ caseNumber, dueMs }) => {
    const history = await bench.stack.temporal.workflow.getHandle(caseWorkflowId(caseNumber)).fetchHistory();
    const fired = history.events?.find((event) => event.eventType === proto.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_FIRED);
    if (fired) lags.push(tsToMs(fired.eventTime) - dueMs);
  });
  return lagsFrom(lags);
}

function lagsFrom(values: number[]): Latencies {
  const latencies = new Latencies();
  for (const value of values) latencies.recordMs(Math.max(0, value));
  return latencies;
}
