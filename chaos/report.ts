/** The printed results: the machine, the faults as they happened, cases per path, answers, checks. */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import type { Pool } from '../db/pool.js';
import { temporalCliPath } from '../scripts/temporal-bin.js';
import type { CheckResult, PathRow, StatusTally } from './checks.js';
import type { Fault } from './faults.js';
import type { ExchangeLog } from './http.js';
import { explains } from './windows.js';

function table(header: string[], rows: string[][], alignRight: number[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (alignRight.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export async function machine(pool: Pool): Promise<string> {
  const cpus = os.cpus();
  const pgVersion = await pool
    .query<{ server_version: string }>('SHOW server_version')
    .then((r) => r.rows[0]!.server_version)
    .catch(() => '?');
  const temporal = await temporalCliPath()
    .then((cli) => promisify(execFile)(cli, ['--version']))
    .then(({ stdout }) => stdout.trim().replace(/^temporal version /, ''))
    .catch(() => '?');
  return [
    `machine: ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}`,
    `software: Node.js ${process.version}, PostgreSQL ${pgVersion}, Temporal CLI ${temporal} (dev server, SQLite WAL)`,
  ].join('\n');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function faultLine(fault: Fault): string {
  const what = { worker_kill: 'worker kill -9    ', temporal_restart: 'Temporal restart  ', postgres_restart: 'PostgreSQL restart' }[
    fault.kind
  ];
  return `  t=${seconds(fault.startedAtMs).padStart(7)}  ${what}  ${fault.error ? `FAILED: ${fault.error}` : fault.detail} (${seconds(fault.endedAtMs - fault.startedAtMs)})`;
}

/**
 * The faults as they happened: the requests and steps in flight at each, and the answers the
 * agencies got to requests in flight while it lasted or within the grace after (the 503s a
 * fault explains: chaos/windows.ts).
 */
export function faultTable(faults: Fault[], log: ExchangeLog, tally: StatusTally, graceMs: number): string {
  const what = { worker_kill: 'worker kill -9', temporal_restart: 'Temporal restart', postgres_restart: 'PostgreSQL restart' };
  const rows = faults.map((fault, i) => {
    const during = log.exchanges.filter((e) => explains(fault, e, graceMs));
    const count = (outcome: number) => String(during.filter((e) => e.outcome === outcome).length);
    const hit = tally.perFault[i]!;
    return [
      `${(fault.startedAtMs / 1000).toFixed(1)}`,
      what[fault.kind],
      seconds(fault.endedAtMs - fault.startedAtMs),
      String(hit.requests),
      String(hit.steps),
      count(503),
      count(202),
      String(during.filter((e) => typeof e.outcome === 'number' && e.outcome >= 500 && e.outcome !== 503).length),
      fault.error ? `FAILED: ${fault.error}` : fault.detail,
    ];
  });
  return table(['t (s)', 'fault', 'took', 'reqs', 'steps', '503', '202', '5xx', 'detail'], rows, [0, 2, 3, 4, 5, 6, 7]);
}

export function pathTable(rows: PathRow[]): string {
  const lines: string[][] = [];
  for (const row of rows) {
    const ends = [...row.ends].sort(([a], [b]) => Number(a === 'driver stopped early') - Number(b === 'driver stopped early'));
    ends.forEach(([label, end], i) => {
      lines.push([i === 0 ? row.path : '', i === 0 ? String(row.cases) : '', label, String(end.expected), String(end.there)]);
    });
    if (row.wrong) lines.push(['', '', 'NOT where expected', String(row.wrong), '']);
  }
  return table(['path', 'cases', 'expected end state', 'expected', 'there'], lines, [1, 3, 4]);
}

export function statusTable(tally: StatusTally): string {
  const order = (key: string) => (/^\d+$/.test(key) ? Number(key) : 1000);
  // 500 and 503 always show, as figures of their own.
  const counts = new Map([['500', 0], ['503', 0], ...tally.counts]);
  const rows = [...counts]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([key, n]) => {
      let note = '';
      if (key === '503')
        note = `${tally.retryAfter503} with Retry-After, ${tally.during503} explained by a fault, ${tally.unexplained503.length} outside`;
      if (key === '202') note = 'accepted, still processing: re-sent with the same key';
      if (key === 'timeout') note = 'no answer within 30 s (re-sent with the same key): must be 0';
      if (key === '500') note = 'must be 0';
      if (key === '403' || key === '409') note = 'refusals: none expected from a well-behaved client';
      return [key, String(n), note];
    });
  const [p50, p95, max] = tally.latency;
  return `${table(['answer', 'count', ''], rows, [1])}\n200/201 answered in ${p50} ms (p50), ${p95} ms (p95), ${max} ms (max)`;
}

export function checkTable(checks: CheckResult[]): string {
  return table(
    ['check', 'result', 'figures'],
    checks.map((check) => [check.name, check.pass ? 'PASS' : 'FAIL', check.figures]),
  );
}

export function failureDetails(checks: CheckResult[], limit = 15): string {
  return checks
    .filter((check) => check.details.length)
    .map((check) =>
      [
        `${check.pass ? 'note' : 'FAIL'}: ${check.name}`,
        ...check.details.slice(0, limit).map((line) => `    ${line}`),
        ...(check.details.length > limit ? [`    ... and ${check.details.length - limit} more`] : []),
      ].join('\n'),
    )
    .join('\n');
}
