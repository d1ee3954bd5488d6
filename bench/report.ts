/**
 * The benchmark's results: the headline figures (ratios measured side by side in one run) and
 * bench/latest.json with every run and the machine it ran on. The table printed at the end is
 * bench/report-table.ts.
 */
import { writeFileSync } from 'node:fs';
import type { GrowthPoint } from './growth.js';
import type { LatencyRun } from './latency.js';
import type { Machine } from './machine.js';
import type { BenchOptions } from './options.js';
import { ratio } from './stats.js';
import type { MeasuredRun } from './throughput.js';
import { pairRatios, type Point } from './repeats.js';
import type { TimerBurst } from './timers.js';

export type Via = 'api' | 'bare';

export interface Results {
  /** Follow-up visits and intakes, closed loop, per way and concurrency: each point sampled `repeats` times (bench/repeats.ts). */
  visits: Record<Via, Record<number, Point>>;
  intakes: Record<Via, Record<number, Point>>;
  latency: LatencyRun[];
  latencySmallCache: LatencyRun[];
  /** Visits through the API with the small cache, closed loop: what it can take at all. */
  smallCacheVisits?: MeasuredRun & { concurrency: number };
  lifecycles?: MeasuredRun & { concurrency: number };
  storage: { memory?: MeasuredRun; wal?: MeasuredRun };
  growth: GrowthPoint[];
  timers?: TimerBurst;
}

export const emptyResults = (): Results => ({
  visits: { api: {}, bare: {} },
  intakes: { api: {}, bare: {} },
  latency: [],
  latencySmallCache: [],
  storage: {},
  growth: [],
});

/** The concurrency at which the API's visit throughput peaked, and that throughput. */
export function peakApiVisits(results: Results): { concurrency: number; perSecond: number } {
  const runs = Object.entries(results.visits.api).map(([concurrency, run]) => ({
    concurrency: Number(concurrency),
    perSecond: run.perSecond,
  }));
  return runs.reduce((best, run) => (run.perSecond > best.perSecond ? run : best), { concurrency: 8, perSecond: 0 });
}

/** Headline figures: each a ratio or a figure measured in this one run. */
export function headline(results: Results) {
  const middle = results.latency[Math.floor(results.latency.length / 2)];
  return {
    /** Follow-up visits per second through the API over bare executeUpdate, at concurrency 8: the median over the pairs that did not fail. */
    apiOverBareThroughput: visitRatio(results, 8),
    apiOverBareThroughputByConcurrency: byConcurrency(results.visits, medianRatio),
    intakeApiOverBareThroughputByConcurrency: byConcurrency(results.intakes, medianRatio),
    /** Through the API, open loop at the middle load (50 % of the highest API visit throughput). */
    stepLatencyP50Ms: middle?.latency.p50Ms ?? null,
    stepLatencyP99Ms: middle?.latency.p99Ms ?? null,
    lifecyclesPerSecond: results.lifecycles?.perSecond ?? null,
    /** From the due instant to the TimerFired event, over all timers due at once. */
    timerFireLagP50Ms: results.timers?.timerFiredLag.p50Ms ?? null,
    timerFireLagP99Ms: results.timers?.timerFiredLag.p99Ms ?? null,
    /** From the due instant to the breach alert stored in PostgreSQL. */
    breachStoredLagP99Ms: results.timers?.breachStoredLag.p99Ms ?? null,
    walOverMemoryThroughput:
      results.storage.wal && results.storage.memory ? ratio(results.storage.wal.perSecond, results.storage.memory.perSecond) : null,
  };
}

/** API over bare: the median over the pairs without a failure; null when every pair failed. */
const medianRatio = (api: Point, bare: Point): number | null => pairRatios(api, bare).spread?.median ?? null;

function visitRatio(results: Results, concurrency: number): number | null {
  const api = results.visits.api[concurrency];
  const bare = results.visits.bare[concurrency];
  return api && bare ? medianRatio(api, bare) : null;
}

function byConcurrency(runs: Results['visits'], compare: (api: Point, bare: Point) => number | null): Record<string, number | null> {
  return Object.fromEntries(
    Object.keys(runs.api)
      .filter((concurrency) => runs.bare[Number(concurrency)])
      .map((concurrency) => [concurrency, compare(runs.api[Number(concurrency)]!, runs.bare[Number(concurrency)]!)]),
  );
}

export interface Report {
  generatedAt: string;
  mode: 'quick' | 'full';
  /** The stacks that ran (a partial run leaves the others' figures out). */
  stacks: string[];
  durationSeconds: number;
  machine: Machine;
  /** Seconds each task took, stack starts and case set-up included. */
  taskSeconds: Record<string, number>;
  settings: { workerEnv: Record<string, string>; apiEnv: Record<string, string>; options: ReturnType<typeof optionsSummary> };
  results: Results;
}

export function writeReport(file: string, report: Report): void {
  const { results, ...rest } = report;
  writeFileSync(file, `${JSON.stringify({ ...headline(results), ...rest, results }, null, 2)}\n`);
}

export const optionsSummary = (options: BenchOptions) => ({
  concurrencies: options.concurrencies,
  intakeConcurrencies: options.intakeConcurrencies,
  runSeconds: options.runSeconds,
  repeats: options.repeats,
  latencyLoads: options.latencyLoads,
  latencySeconds: options.latencySeconds,
  latencyMinRequests: options.latencyMinRequests,
  latencyCases: options.latencyCases,
  smallCache: options.smallCache,
  lifecycleSeconds: options.lifecycleSeconds,
  storageSeconds: options.storageSeconds,
  growthSizes: options.growthSizes,
  growthProbeSeconds: options.growthProbeSeconds,
  growthProbePerSecond: options.growthProbePerSecond,
  timerCount: options.timerCount,
});
