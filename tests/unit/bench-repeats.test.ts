/** Repeated throughput samples: alternation, the point made of them, and pairs with a failure (bench/repeats.ts). */
import { describe, expect, it } from 'vitest';
import { headline, type Results } from '../../bench/report.js';
import { orderOf, pairRatios, pointOf, samplesOf, spread } from '../../bench/repeats.js';
import type { MeasuredRun } from '../../bench/throughput.js';

const run = (perSecond: number, failed = 0): MeasuredRun => ({
  completed: Math.round(perSecond * 10),
  failed,
  seconds: 10,
  perSecond,
  latency: { count: 10, p50Ms: 1000 / perSecond, p99Ms: 2000 / perSecond, maxMs: 3000 / perSecond },
  errors: failed ? { 'HTTP 503': failed } : {},
  cpuMsPerOp: { api: 1, worker: 2, temporal: 3, postgres: 4, bench: 5 },
});

describe('repeated samples', () => {
  it('alternate API and bare, taking turns going first', () => {
    expect([0, 1, 2].map(orderOf)).toEqual([
      ['api', 'bare'],
      ['bare', 'api'],
      ['api', 'bare'],
    ]);
  });

  it('give min, median and max', () => {
    expect(spread([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3, n: 3 });
    expect(spread([4, 1, 2, 3])).toEqual({ min: 1, median: 2.5, max: 4, n: 4 });
    expect(spread([])).toBeNull();
  });

  it('make a point: the median rate, the median sample for latency, every failure, every sample', () => {
    const point = pointOf([run(30), run(10, 2), run(20)]);
    expect(point.perSecond).toBe(20);
    expect(point.latency.p50Ms).toBe(50);
    expect(point.failed).toBe(2);
    expect(point.samples!.map((s) => s.perSecond)).toEqual([30, 10, 20]);
  });

  it('mark a pair with any failure failed and leave it out of the ratio', () => {
    const api = pointOf([run(8), run(9, 1), run(10)]);
    const bare = pointOf([run(10), run(10), run(20)]);
    const pairs = pairRatios(api, bare);
    expect(pairs.ratios).toEqual([0.8, null, 0.5]);
    expect(pairs.failedPairs).toBe(1);
    expect(pairs.spread).toEqual({ min: 0.5, median: 0.65, max: 0.8, n: 2 });
    const allFailed = pairRatios(pointOf([run(8, 1)]), pointOf([run(10)]));
    expect(allFailed.spread).toBeNull();
  });

  it('read a report of one sample per point as before', () => {
    const old = { ...run(26.8) };
    expect(samplesOf(old)).toHaveLength(1);
    const results = {
      visits: { api: { 8: run(26.8) }, bare: { 8: run(32) } },
      intakes: { api: {}, bare: {} },
      latency: [],
      latencySmallCache: [],
      storage: {},
      growth: [],
    } as Results;
    expect(headline(results).apiOverBareThroughput).toBe(0.84);
  });
});
