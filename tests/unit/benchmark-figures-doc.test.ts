/**
 * docs/benchmarks.md shows the latest benchmark figures exactly as `npm run bench:readme` prints
 * them from bench/latest.json: after a new run, paste its output there.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchmarkFigures } from '../../bench/readme-figures.js';
import type { Report } from '../../bench/report.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('the benchmark figures in docs/benchmarks.md', () => {
  it('are what npm run bench:readme prints for bench/latest.json', () => {
    const report = JSON.parse(read('bench/latest.json')) as Report;
    expect(read('docs/benchmarks.md')).toContain(benchmarkFigures(report));
  });
});
