/**
 * Step latency under a fixed offered load (open loop): follow-up visits through the API at a
 * share of the highest measured throughput, going round a set of fresh cases, with the worker's
 * cache as configured and again forced small, so that most tasks replay the case's history.
 */
import type { BenchStack } from './bench-stack.js';
import { openLoop } from './load.js';
import type { BenchOptions } from './options.js';
import { round } from './stats.js';
import { measured, type MeasuredRun } from './throughput.js';

export interface LatencyRun extends MeasuredRun {
  load: number;
  offeredPerSecond: number;
}

/** One open-loop run per load, going round `cases` (fresh ones, in follow-up). */
export async function latencySeries(
  bench: BenchStack,
  cases: string[],
  maxPerSecond: number,
  options: BenchOptions,
): Promise<LatencyRun[]> {
  const runs: LatencyRun[] = [];
  for (const load of options.latencyLoads) {
    const rate = maxPerSecond * load;
    // A slow configuration runs longer, so that its percentiles rest on enough requests.
    const seconds = Math.max(options.latencySeconds, options.latencyMinRequests / rate);
    const result = await measured(bench.stack, () => openLoop(rate, seconds, (n) => bench.api.step(cases[n % cases.length]!, 'visit')));
    runs.push({ ...result, load, offeredPerSecond: round(rate, 1) });
  }
  return runs;
}

/** Restarts the worker with these settings on top of the run's own. */
export async function restartWorker(bench: BenchStack, env: Record<string, string>): Promise<void> {
  await bench.stack.worker.stop();
  await bench.stack.worker.restart(env);
}

export function smallCacheEnv(options: BenchOptions): Record<string, string> {
  return {
    WORKER_MAX_CACHED_WORKFLOWS: String(options.smallCache.maxCachedWorkflows),
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: String(options.smallCache.maxConcurrentWorkflowTasks),
  };
}
