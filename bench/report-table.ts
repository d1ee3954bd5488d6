/** The table the benchmark prints at the end: the headline, then one table per measurement. */
import type { GrowthPoint } from './growth.js';
import type { LatencyRun } from './latency.js';
import type { MeasuredRun } from './throughput.js';
import { headline, type Report, type Results } from './report.js';
import { round } from './stats.js';
import { pairRatios, type Point, samplesOf, type Spread, spread } from './repeats.js';
import type { TimerBurst } from './timers.js';
import { PROCESSES } from './usage.js';

export function formatReport(report: Report): string {
  const { results, machine } = report;
  const h = headline(results);
  const sections = [
    `PPKS case service benchmark (${report.mode}, ${round(report.durationSeconds / 60, 1)} min) on ${machine.cpuModel}, ${machine.cores} cores, ` +
      `${machine.ramGiB} GiB, ${machine.os}; Node ${machine.node}, ${machine.temporalCli}, PostgreSQL ${machine.postgres}, SDK ${machine.temporalSdk}` +
      settingsLine(report.settings) +
      (report.mode === 'quick'
        ? '\nQuick: short runs, growth and timers side by side with the rest; figures to check that it works, not to compare'
        : ''),
    table(
      'Headline (ratios measured side by side in this run)',
      ['figure', 'value'],
      [
        ['API / bare executeUpdate, visit throughput at concurrency 8', fmt(h.apiOverBareThroughput)],
        ['step latency p50 / p99 at 50 % load (ms)', `${fmt(h.stepLatencyP50Ms)} / ${fmt(h.stepLatencyP99Ms)}`],
        ['full lifecycles per second (intake to closure, API)', fmt(h.lifecyclesPerSecond)],
        ['timer fire lag p50 / p99 (ms)', `${fmt(h.timerFireLagP50Ms)} / ${fmt(h.timerFireLagP99Ms)}`],
        ['SQLite WAL / in-memory dev server, visit throughput', fmt(h.walOverMemoryThroughput)],
      ],
    ),
    throughputTable('Follow-up visits, closed loop (per second; latency p50/p99 ms)', results.visits),
    throughputTable('Intake: API vs bare update-with-start, closed loop (per second; latency p50/p99 ms)', results.intakes),
    latencyTable(results),
    cacheTable(results),
    results.lifecycles
      ? table(
          'Full lifecycles through the API (6 requests each), closed loop',
          ['concurrency', 'per second', 'p50/p99 ms', 'failed'],
          [
            [
              String(results.lifecycles.concurrency),
              fmt(results.lifecycles.perSecond),
              pct(results.lifecycles),
              String(results.lifecycles.failed),
            ],
          ],
        )
      : '',
    growthTable(results.growth),
    timersTable(results.timers),
    storageTable(results.storage),
    cpuTable(results),
  ];
  return sections.filter(Boolean).join('\n\n');
}

function settingsLine(settings: Report['settings']): string {
  const all = [
    ...Object.entries(settings.workerEnv).map(([k, v]) => `worker ${k}=${v}`),
    ...Object.entries(settings.apiEnv).map(([k, v]) => `api ${k}=${v}`),
  ];
  return all.length ? `\nTuning: ${all.join(', ')}` : '\nTuning: defaults';
}

/** Per concurrency: each way's median rate (min-max over its samples), the median ratio over the pairs, and the failed pairs. */
function throughputTable(title: string, runs: Results['visits']): string {
  if (Object.keys(runs.api).length === 0) return '';
  const rows = Object.keys(runs.api).map((key) => {
    const api = runs.api[Number(key)]!;
    const bare = runs.bare[Number(key)];
    const pairs = bare ? pairRatios(api, bare) : null;
    return [
      key,
      rateSpread(api),
      bare ? rateSpread(bare) : '-',
      pairs ? spreadText(pairs.spread) : '-',
      pct(api),
      bare ? pct(bare) : '-',
      pairs ? `${pairs.failedPairs}/${pairs.pairs}` : '-',
    ];
  });
  return table(
    `${title}; median (min-max) of ${samplesOf(Object.values(runs.api)[0]!).length} samples, API and bare alternating`,
    ['concurrency', 'API', 'bare', 'API/bare', 'API p50/p99', 'bare p50/p99', 'failed pairs'],
    rows,
  );
}

const rateSpread = (point: Point) => spreadText(spread(samplesOf(point).map((sample) => sample.perSecond)));
const spreadText = (s: Spread | null) =>
  s === null ? 'failed' : s.n === 1 ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}-${fmt(s.max)})`;

function latencyTable(results: Results): string {
  if (results.latency.length === 0) return '';
  const rows = (series: LatencyRun[], cache: string) =>
    series.map((run) => [cache, `${run.load * 100} %`, fmt(run.offeredPerSecond), fmt(run.perSecond), pct(run), String(run.failed)]);
  return table(
    "Step latency, open loop through the API, at shares of each cache's maximum (ms from the scheduled send)",
    ['worker cache', 'load', 'offered/s', 'answered/s', 'p50/p99', 'failed'],
    [...rows(results.latency, 'default'), ...rows(results.latencySmallCache, 'small (replays)')],
  );
}

function cacheTable(results: Results): string {
  const small = results.smallCacheVisits;
  const normal = small && results.visits.api[small.concurrency];
  if (!small || !normal) return '';
  return table(
    `Worker cache: visits through the API, closed loop, concurrency ${small.concurrency}`,
    ['cache', 'per second', 'p50/p99 ms', 'failed'],
    [
      ['default', fmt(normal.perSecond), pct(normal), String(normal.failed)],
      ['small (replays)', fmt(small.perSecond), pct(small), String(small.failed)],
    ],
  );
}

function growthTable(points: GrowthPoint[]): string {
  const rows = points.map((p) => [
    String(p.openCases),
    String(p.runningWorkflows),
    fmt(p.openedPerSecond),
    fmt(p.probe.offeredPerSecond),
    pct(p.probe),
    String(p.memory.workerMiB),
    String(p.memory.temporalMiB),
    String(p.memory.apiMiB),
    `${p.probe.failed} / ${p.failedToOpen}`,
  ]);
  return table(
    'Growth: open cases, each with a pending SLA timer',
    [
      'open cases',
      'running wfs',
      'opened/s',
      'visits/s',
      'visit p50/p99 ms',
      'worker MiB',
      'server MiB',
      'API MiB',
      'failed visits / opens',
    ],
    rows,
  );
}

function timersTable(timers: TimerBurst | undefined): string {
  if (!timers) return '';
  return table(
    `SLA timers due at once (${timers.dueAt}, ${timers.openCases} open cases${timers.allDueAtOnce ? '' : '; NOT all due at once'})`,
    ['timers', 'breaches stored', 'timer fired lag p50/p99 ms', 'breach stored lag p50/p99 ms', 'max breach lag ms'],
    [
      [
        String(timers.timers),
        String(timers.alertsStored),
        `${fmt(timers.timerFiredLag.p50Ms)} / ${fmt(timers.timerFiredLag.p99Ms)}`,
        `${fmt(timers.breachStoredLag.p50Ms)} / ${fmt(timers.breachStoredLag.p99Ms)}`,
        fmt(timers.breachStoredLag.maxMs),
      ],
    ],
  );
}

function storageTable(storage: Results['storage']): string {
  const rows = (['memory', 'wal'] as const).flatMap((kind) => {
    const run = storage[kind];
    return run
      ? [[kind === 'wal' ? 'SQLite, WAL, synchronous=NORMAL' : 'in memory', fmt(run.perSecond), pct(run), String(run.failed)]]
      : [];
  });
  if (rows.length === 0) return '';
  return table('Dev server storage: visits through the API, concurrency 8', ['server', 'per second', 'p50/p99 ms', 'failed'], rows);
}

function cpuTable(results: Results): string {
  const columns: [string, MeasuredRun | undefined][] = [
    ['API visit c=8', results.visits.api[8]],
    ['bare visit c=8', results.visits.bare[8]],
    ['API visit c=8, small cache', results.smallCacheVisits],
    ['API intake c=8', results.intakes.api[8]],
    ['bare intake c=8', results.intakes.bare[8]],
    ['lifecycle', results.lifecycles],
  ];
  const present = columns.filter((column): column is [string, MeasuredRun] => column[1] !== undefined);
  if (present.length === 0) return '';
  const rows = PROCESSES.map((name) => [name, ...present.map(([, run]) => fmt(run.cpuMsPerOp[name]))]);
  rows.push([
    'total',
    ...present.map(([, run]) =>
      fmt(
        round(
          PROCESSES.reduce((sum, name) => sum + run.cpuMsPerOp[name], 0),
          1,
        ),
      ),
    ),
  ]);
  return table('CPU ms per operation, per process (postgres: the whole server)', ['process', ...present.map(([label]) => label)], rows);
}

const fmt = (value: number | null | undefined) => (value === null || value === undefined ? '-' : String(value));
const pct = (run: MeasuredRun) => `${fmt(run.latency.p50Ms)} / ${fmt(run.latency.p99Ms)}`;

function table(title: string, header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`;
  return [title, line(header), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`, ...rows.map(line)].join('\n');
}
