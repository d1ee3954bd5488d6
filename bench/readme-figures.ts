/**
 * `npm run bench:readme [-- file.json]`: prints the "Latest figures" of docs/benchmarks.md (the
 * machine line and the table) from a benchmark's JSON, bench/latest.json by default, so that
 * docs/benchmarks.md shows exactly what a run wrote (tests/unit/benchmark-figures-doc.test.ts
 * checks that it does). The script's name, bench:readme, is older than docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LatencyRun } from './latency.js';
import { headline, type Report, type Results } from './report.js';
import { pairRatios } from './repeats.js';
import type { MeasuredRun } from './throughput.js';
import { PROCESSES } from './usage.js';

/** The "Latest figures" of docs/benchmarks.md, from one benchmark report. */
export function benchmarkFigures(report: Report): string {
  const { results: r, machine: m } = report;
  const tuning =
    Object.entries({ ...report.settings.workerEnv, ...report.settings.apiEnv })
      .map(([k, v]) => `${k}=${v}`)
      .join(', ') || 'default tuning';
  const intro =
    `**Latest figures** (\`bench/latest.json\`, ${report.mode} run of ${report.generatedAt.slice(0, 10)}: ${m.cpuModel}, ` +
    `${m.cores} vCPUs, ${m.ramGiB} GiB, ${m.os}; Node.js ${m.node.replace(/^v/, '')}, ${m.temporalCli.replace(/^temporal version /, 'Temporal CLI ')}, ` +
    `PostgreSQL ${m.postgres.split(' ')[0]}, TypeScript SDK ${m.temporalSdk}; ${tuning}):`;
  const rows = [...viaRows(r), ...latencyRows(r), ...lifecycleRows(r), ...growthRows(r), ...timerRows(r), ...storageRows(r), ...cpuRows(r)];
  return [intro, '', '| figure | value |', '|---|---|', ...rows.map(([figure, value]) => `| ${figure} | ${value} |`)].join('\n');
}

/**
 * API / bare per concurrency. With repeated samples: the median ratio over the pairs that did not
 * fail, its min-max and the rates' medians; a report of one sample per point keeps its old form.
 */
function viaRows(r: Results): [string, string][] {
  const h = headline(r);
  const row = (runs: Results['visits'], ratios: Record<string, number | null>, what: string, bare: string): [string, string][] => {
    const levels = Object.keys(ratios);
    if (levels.length === 0) return [];
    const pairs = levels.map((c) => pairRatios(runs.api[Number(c)]!, runs.bare[Number(c)]!));
    const repeated = pairs.some((p) => p.pairs > 1);
    const rates = levels.map((c) => `${fmt(runs.api[Number(c)]!.perSecond)} vs ${fmt(runs.bare[Number(c)]!.perSecond)}`);
    if (!repeated)
      return [
        [
          `API / bare ${bare}, ${what} per second at concurrency ${levels.join(' / ')}`,
          `${levels.map((c) => emphasize(c === '8', fmt(ratios[c], 2))).join(' / ')} (${rates.join(', ')})`,
        ],
      ];
    const failed = pairs.reduce((sum, p) => sum + p.failedPairs, 0);
    const total = pairs.reduce((sum, p) => sum + p.pairs, 0);
    const spreads = pairs.map((p) => (p.spread ? `${fmt(p.spread.min, 2)}-${fmt(p.spread.max, 2)}` : 'all failed'));
    return [
      [
        `API / bare ${bare}, ${what} per second at concurrency ${levels.join(' / ')}: median of ${pairs[0]!.pairs} alternating pairs (min-max)`,
        `${levels.map((c, i) => `${emphasize(c === '8', fmt(ratios[c], 2))} (${spreads[i]})`).join(' / ')}; median rates ${rates.join(', ')}; ${failed} of ${total} pairs failed`,
      ],
    ];
  };
  return [
    ...row(r.visits, h.apiOverBareThroughputByConcurrency, 'follow-up visits', '`executeUpdate`'),
    ...row(r.intakes, h.intakeApiOverBareThroughputByConcurrency, 'intakes', 'update-with-start'),
  ];
}

function latencyRows(r: Results): [string, string][] {
  if (r.latency.length === 0) return [];
  const middle = Math.floor(r.latency.length / 2);
  const rows: [string, string][] = [
    [
      `step latency through the API, open loop at ${loads(r.latency)} % of the maximum, p50 / p99`,
      `${r.latency.map((run, i) => emphasize(i === middle, `${ms(run.latency.p50Ms)} / ${ms(run.latency.p99Ms)}`)).join(', ')} ms`,
    ],
  ];
  const small = r.smallCacheVisits;
  const normal = small && r.visits.api[small.concurrency];
  if (small && normal) {
    rows.push([
      `the same with the worker cache forced small (every step replays): visits per second at concurrency ${small.concurrency}, then p99 at ${loads(r.latencySmallCache)} % of that`,
      `${fmt(normal.perSecond)} → ${fmt(small.perSecond)}; p99 ${r.latencySmallCache.map((run) => ms(run.latency.p99Ms)).join(' / ')} ms`,
    ]);
  }
  return rows;
}

function lifecycleRows(r: Results): [string, string][] {
  const run = r.lifecycles;
  if (!run) return [];
  return [
    [
      `full case lifecycles per second (a repatriation: intake, identification, address, departure, handover, the closing visit; ${run.concurrency} at once)`,
      `**${fmt(run.perSecond)}** (p50 ${fmt(run.latency.p50Ms / 1000, 1)} s per case)`,
    ],
  ];
}

function growthRows(r: Results): [string, string][] {
  if (r.growth.length === 0) return [];
  const sizes = r.growth.map((point) => point.openCases.toLocaleString('en')).join(' / ');
  const notAnswered = r.growth
    .filter((point) => point.probe.failed > 0)
    .map(
      (point) =>
        `${point.probe.failed} of ${point.probe.failed + point.probe.completed} visits at ${point.openCases.toLocaleString('en')} answered ${Object.keys(point.probe.errors).join(' or ')}`,
    );
  return [
    [
      `open cases, each with a pending SLA timer: ${sizes} — visit p50 / p99 at ${fmt(r.growth[0]!.probe.offeredPerSecond)} visits/s`,
      `${r.growth.map((point) => `${ms(point.probe.latency.p50Ms)} / ${ms(point.probe.latency.p99Ms)}`).join(', ')} ms${notAnswered.length ? ` (${notAnswered.join('; ')})` : ''}`,
    ],
    [
      '… worker / dev server memory',
      `${r.growth.map((point) => `${point.memory.workerMiB.toLocaleString('en')} / ${point.memory.temporalMiB.toLocaleString('en')}`).join(', ')} MiB`,
    ],
  ];
}

function timerRows(r: Results): [string, string][] {
  const timers = r.timers;
  if (!timers) return [];
  const atOnce = timers.allDueAtOnce ? 'due at the same instant' : 'due at about the same time (NOT all at once)';
  return [
    [
      `${timers.timers.toLocaleString('en')} SLA timers ${atOnce} (${timers.openCases.toLocaleString('en')} open cases): timer fired lag p50 / p99`,
      `**${ms(timers.timerFiredLag.p50Ms)} / ${ms(timers.timerFiredLag.p99Ms)} ms**`,
    ],
    [
      '… breach alert stored in PostgreSQL, p50 / p99',
      `${fmt(timers.breachStoredLag.p50Ms / 1000, 1)} / ${fmt(timers.breachStoredLag.p99Ms / 1000, 1)} s`,
    ],
  ];
}

function storageRows(r: Results): [string, string][] {
  const { wal, memory } = r.storage;
  if (!wal || !memory) return [];
  return [
    [
      'SQLite WAL / in-memory dev server, visits per second at concurrency 8',
      `**${fmt(headline(r).walOverMemoryThroughput, 2)}** (${fmt(wal.perSecond)} vs ${fmt(memory.perSecond)})`,
    ],
  ];
}

function cpuRows(r: Results): [string, string][] {
  const rows: [string, string][] = [];
  const api = r.visits.api[8];
  const bare = r.visits.bare[8];
  if (api && bare) {
    rows.push([
      `CPU ms per visit at concurrency 8, API / bare: ${SERVICE_PROCESSES.join(', ')}`,
      `${perProcess((p) => `${fmt(api.cpuMsPerOp[p], 1)} / ${fmt(bare.cpuMsPerOp[p], 1)}`)} (${fmt(cpuTotal(api), 1)} / ${fmt(cpuTotal(bare), 1)} in all)`,
    ]);
  }
  if (r.lifecycles) {
    rows.push([`CPU ms per full lifecycle: ${SERVICE_PROCESSES.join(', ')}`, perProcess((p) => fmt(r.lifecycles!.cpuMsPerOp[p], 0))]);
  }
  return rows;
}

/** The service's processes; the benchmark's own client is left out. */
const SERVICE_PROCESSES = PROCESSES.filter((p) => p !== 'bench');
const perProcess = (cell: (process: (typeof PROCESSES)[number]) => string) => SERVICE_PROCESSES.map(cell).join(', ');
const cpuTotal = (run: MeasuredRun) => SERVICE_PROCESSES.reduce((sum, p) => sum + run.cpuMsPerOp[p], 0);
const loads = (runs: LatencyRun[]) => runs.map((run) => run.load * 100).join(' / ');
const emphasize = (yes: boolean, text: string) => (yes ? `**${text}**` : text);
const ms = (value: number) => fmt(value, 0);

function fmt(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return '-';
  return value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// Printed only when run as the script, not when a test imports benchmarkFigures.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] ?? fileURLToPath(new URL('latest.json', import.meta.url));
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  console.log(benchmarkFigures(report));
}
