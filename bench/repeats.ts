/**
 * Repeated samples of one throughput point and the spread over them. Each point (visits or
 * intakes, at one concurrency) is sampled `repeats` times, API and bare alternating and taking
 * turns going first (API-bare, bare-API, ...), so that warm-up and drift land on both ways alike;
 * sample i of the API and sample i of bare form pair i. A pair in which either sample had a
 * failure is marked failed and left out of the ratio.
 */
import type { MeasuredRun } from './throughput.js';
import { ratio, round } from './stats.js';

/** One sample's figures, as kept in bench/latest.json. */
export interface Sample {
  perSecond: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * A point: the run whose rate is the median of the samples (its latency and CPU are that
 * sample's), with every sample; `failed` counts the failures of all samples. Reports written
 * before repetition have no `samples`: one sample each.
 */
export type Point = MeasuredRun & { samples?: Sample[] };

export interface Spread {
  min: number;
  median: number;
  max: number;
  n: number;
}

export function spread(values: number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median: round(median, 2), max: sorted.at(-1)!, n: sorted.length };
}

/** Which way goes first in round `round` (0-based): API first in even rounds, bare first in odd ones. */
export const orderOf = (round: number): ['api', 'bare'] | ['bare', 'api'] => (round % 2 === 0 ? ['api', 'bare'] : ['bare', 'api']);

/** The point made of `runs`, its samples in the order they were taken. */
export function pointOf(runs: MeasuredRun[]): Point {
  if (runs.length === 0) throw new Error('a point needs at least one sample');
  const byRate = [...runs].sort((a, b) => a.perSecond - b.perSecond);
  const median = byRate[Math.floor((byRate.length - 1) / 2)]!;
  return {
    ...median,
    perSecond: spread(runs.map((run) => run.perSecond))!.median,
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
    samples: runs.map((run) => ({ perSecond: run.perSecond, failed: run.failed, p50Ms: run.latency.p50Ms, p99Ms: run.latency.p99Ms })),
  };
}

/** The samples of a point; a report without them had one. */
export const samplesOf = (point: Point): Sample[] =>
  point.samples ?? [{ perSecond: point.perSecond, failed: point.failed, p50Ms: point.latency.p50Ms, p99Ms: point.latency.p99Ms }];

export interface PairRatios {
  /** API over bare per pair; null for a failed pair (or a bare rate of 0). */
  ratios: (number | null)[];
  pairs: number;
  failedPairs: number;
  /** Over the pairs that did not fail; null when every pair failed. */
  spread: Spread | null;
}

export function pairRatios(api: Point, bare: Point): PairRatios {
  const a = samplesOf(api);
  const b = samplesOf(bare);
  const pairs = Math.min(a.length, b.length);
  const ratios = Array.from({ length: pairs }, (_, i) =>
    a[i]!.failed > 0 || b[i]!.failed > 0 ? null : ratio(a[i]!.perSecond, b[i]!.perSecond),
  );
  const good = ratios.filter((r): r is number => r !== null);
  return { ratios, pairs, failedPairs: ratios.filter((_, i) => a[i]!.failed > 0 || b[i]!.failed > 0).length, spread: spread(good) };
}
