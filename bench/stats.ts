/** Latency histograms (HdrHistogram, microsecond resolution) and the rounding every figure gets. */
import * as hdr from 'hdr-histogram-js';

export class Latencies {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });

  recordMs(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The latency at a percentile (0-100), in ms; 0 when nothing was recorded. */
  percentileMs(percentile: number): number {
    return this.count === 0 ? 0 : this.histogram.getValueAtPercentile(percentile) / 1000;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      p50Ms: round(this.percentileMs(50), 1),
      p99Ms: round(this.percentileMs(99), 1),
      maxMs: round(this.percentileMs(100), 1),
    };
  }
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** a / b, rounded; null when b is 0 (nothing to compare with). */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : round(a / b, 2);
}
