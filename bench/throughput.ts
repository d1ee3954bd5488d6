/**
 * Closed-loop throughput, each run with the CPU time every process spent on it: follow-up visits
 * (the one step a case takes over and over) and intakes, through the API or bare; whole
 * lifecycles through the API; and the same visit run on two dev servers (in memory, SQLite WAL).
 */
import type { LocalStack } from '../scripts/local-stack.js';
import type { BenchStack } from './bench-stack.js';
import { type CaseDriver, caseInFollowUp, wholeLifecycle } from './cases.js';
import { closedLoop, forEachConcurrently, type LoadResult } from './load.js';
import { type CpuSnapshot, cpuPer, cpuSnapshot } from './usage.js';

export interface MeasuredRun extends LoadResult {
  /** CPU ms per completed operation, per process. */
  cpuMsPerOp: CpuSnapshot;
}

export async function measured(stack: LocalStack, run: () => Promise<LoadResult>): Promise<MeasuredRun> {
  const before = cpuSnapshot(stack);
  const result = await run();
  return { ...result, cpuMsPerOp: cpuPer(before, cpuSnapshot(stack), result.completed) };
}

/** Fresh cases in follow-up, opened bare (faster; the workflow ends up the same as through the API). */
export async function casesInFollowUp(bench: BenchStack, count: number): Promise<string[]> {
  const cases: string[] = [];
  await forEachConcurrently(Array.from({ length: count }), 8, async () => {
    cases.push(await caseInFollowUp(bench.bare));
  });
  return cases;
}

/**
 * Each client goes round its own `casesPerClient` fresh cases, so no two steps wait on the same
 * case and every case's history stays short; API and bare runs get identically prepared cases.
 */
export async function visitThroughput(
  bench: BenchStack,
  driver: CaseDriver,
  concurrency: number,
  seconds: number,
  casesPerClient: number,
): Promise<MeasuredRun> {
  return visitsOn(bench, driver, await casesInFollowUp(bench, concurrency * casesPerClient), concurrency, seconds);
}

/** The closed-loop visit run on cases already prepared: `cases.length / concurrency` per client. */
export function visitsOn(
  bench: BenchStack,
  driver: CaseDriver,
  cases: string[],
  concurrency: number,
  seconds: number,
): Promise<MeasuredRun> {
  const perClient = Math.floor(cases.length / concurrency);
  return measured(bench.stack, () =>
    closedLoop(concurrency, seconds, (client, n) => driver.step(cases[client * perClient + (n % perClient)]!, 'visit')),
  );
}

export function intakeThroughput(bench: BenchStack, driver: CaseDriver, concurrency: number, seconds: number): Promise<MeasuredRun> {
  return measured(bench.stack, () => closedLoop(concurrency, seconds, async () => void (await driver.intake())));
}

/** Whole cases through the API, intake to closure (six requests each). */
export function lifecycleThroughput(bench: BenchStack, concurrency: number, seconds: number): Promise<MeasuredRun> {
  return measured(bench.stack, () => closedLoop(concurrency, seconds, () => wholeLifecycle(bench.api)));
}
