/**
 * How the service holds up as open cases pile up: cases are opened (bare update-with-start, each
 * then waits in identification with its SLA timer pending) up to each size, and at each size a
 * fixed rate of follow-up visits through the API measures step latency, with the resident memory
 * of the worker, the dev server and the API afterwards.
 */
import type { BenchStack } from './bench-stack.js';
import { forEachConcurrently, openLoop } from './load.js';
import { round } from './stats.js';
import { casesInFollowUp, measured, type MeasuredRun } from './throughput.js';
import { memorySnapshot, type MemorySnapshot } from './usage.js';

/** Cases the probing visits go round (they count among the open cases). */
const PROBE_CASES = 16;
const OPENING_CONCURRENCY = 32;

export interface GrowthPoint {
  openCases: number;
  /** Running workflows on the server, as its visibility counts them. */
  runningWorkflows: number;
  /** How fast the cases up to this size were opened (bare update-with-start, 32 at a time). */
  openedPerSecond: number;
  /** Intakes that failed on the way to this size (so far). */
  failedToOpen: number;
  probe: MeasuredRun & { offeredPerSecond: number };
  memory: MemorySnapshot;
}

export interface Growth {
  /** Cases opened on this stack so far (none of them closed). */
  readonly openCases: number;
  /** Opens cases; resolves with their numbers and how many opened per second. */
  openMore(count: number, ppksType?: string): Promise<{ caseNumbers: string[]; perSecond: number }>;
  measureAt(size: number, probeRate: number, probeSeconds: number): Promise<GrowthPoint>;
}

export async function startGrowth(bench: BenchStack): Promise<Growth> {
  const probeCases = await casesInFollowUp(bench, PROBE_CASES);
  let open = probeCases.length;
  let failedToOpen = 0;
  const openMore: Growth['openMore'] = async (count, ppksType) => {
    const caseNumbers: string[] = [];
    const started = performance.now();
    await forEachConcurrently(Array.from({ length: count }), OPENING_CONCURRENCY, async () => {
      // A case that failed to open is left out of the count; a long run goes on without it.
      await bench.bare.intake(ppksType).then(
        (caseNumber) => caseNumbers.push(caseNumber),
        () => failedToOpen++,
      );
    });
    open += caseNumbers.length;
    return { caseNumbers, perSecond: round(caseNumbers.length / ((performance.now() - started) / 1000), 1) };
  };
  return {
    get openCases() {
      return open;
    },
    openMore,
    async measureAt(size, probeRate, probeSeconds) {
      const { perSecond } = await openMore(Math.max(0, size - open));
      const probe = await measured(bench.stack, () =>
        openLoop(probeRate, probeSeconds, (n) => bench.api.step(probeCases[n % probeCases.length]!, 'visit')),
      );
      return {
        openCases: open,
        runningWorkflows: await bench.stack.temporal.workflow.count('ExecutionStatus = "Running"').then((c) => c.count),
        openedPerSecond: perSecond,
        failedToOpen,
        probe: { ...probe, offeredPerSecond: round(probeRate, 1) },
        memory: memorySnapshot(bench.stack),
      };
    },
  };
}
