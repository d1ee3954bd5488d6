/**
 * `npm run bench [-- --quick] [--only memory,wal,growth] [--out file.json] [--worker-env NAME=value]
 * [--api-env NAME=value]`: measures the case service on this machine, each figure side by side
 * with what it is compared to in the same run, prints a table and writes bench/latest.json (the
 * docs/benchmarks.md says what each figure means). Each throughput point is sampled three times,
 * API and bare alternating, and reported with its spread. Three stacks, each on its own
 * database and dev server: in memory (throughput, latency, lifecycles, CPU), SQLite WAL (the
 * storage comparison), and one where open cases pile up (growth, and the SLA timers due at once).
 */
import { fileURLToPath } from 'node:url';
import { type BenchStack, startBenchStack } from './bench-stack.js';
import { startGrowth, type Growth } from './growth.js';
import { latencySeries, restartWorker, smallCacheEnv } from './latency.js';
import { describeMachine, type Machine } from './machine.js';
import { lockMachine } from './machine-lock.js';
import { parseOptions, STACKS, type StackName } from './options.js';
import { type Lane, runWithProgress, type Task } from './progress.js';
import { emptyResults, optionsSummary, peakApiVisits, type Report, type Via, writeReport } from './report.js';
import { formatReport } from './report-table.js';
import { type ArmedTimerBurst, armTimerBurst } from './timers.js';
import { casesInFollowUp, intakeThroughput, lifecycleThroughput, type MeasuredRun, visitsOn, visitThroughput } from './throughput.js';
import { orderOf, pointOf } from './repeats.js';

const LATEST = fileURLToPath(new URL('latest.json', import.meta.url));
/** Concurrency of the closed-loop visit runs compared across settings (dev server storage, worker cache). */
const COMPARISON_CONCURRENCY = 8;
/** Rough costs on two cores, for the progress bar only. */
const STACK_START_SECONDS = 8;
const CASES_SET_UP_PER_SECOND = 6;
const CASES_OPENED_PER_SECOND = 28;

const options = parseOptions(process.argv.slice(2));
const results = emptyResults();
const started = Date.now();
let machine: Machine | undefined;
/** Stacks started and not yet stopped, stopped whatever happens. */
const running = new Set<BenchStack>();

/** Runs `tasks` on a stack of its own, stopped afterwards. */
function onStack(name: string, persistTemporal: boolean, tasks: (bench: () => BenchStack) => Task[]): Task[] {
  let current: BenchStack | undefined;
  const bench = () => current!;
  return [
    {
      label: `starting stack ${name}`,
      estimatedSeconds: STACK_START_SECONDS,
      run: async () => {
        current = await startBenchStack(name, persistTemporal, options);
        running.add(current);
        machine ??= await describeMachine(current.stack.pool);
      },
    },
    ...tasks(bench),
    { label: `stopping stack ${name}`, estimatedSeconds: 2, run: () => stop(current) },
  ];
}

async function stop(bench: BenchStack | undefined): Promise<void> {
  if (!bench || !running.delete(bench)) return;
  await bench.stack.stop();
}

const setUpSeconds = (cases: number) => cases / CASES_SET_UP_PER_SECOND;

function storageTask(bench: () => BenchStack, kind: 'memory' | 'wal'): Task {
  return {
    label: `storage: visits on the ${kind === 'wal' ? 'SQLite WAL' : 'in-memory'} dev server`,
    estimatedSeconds: setUpSeconds(COMPARISON_CONCURRENCY * options.casesPerClient(COMPARISON_CONCURRENCY)) + options.storageSeconds,
    run: async () => {
      results.storage[kind] = await visitThroughput(
        bench(),
        bench().api,
        COMPARISON_CONCURRENCY,
        options.storageSeconds,
        options.casesPerClient(COMPARISON_CONCURRENCY),
      );
    },
  };
}

/**
 * Each point `options.repeats` times: a round is one API and one bare sample, the two ways taking
 * turns going first (bench/repeats.ts); the point is rebuilt from its samples after each one.
 */
function throughputTasks(bench: () => BenchStack): Task[] {
  const samples = new Map<string, MeasuredRun[]>();
  const point = (what: 'visits' | 'intakes', via: Via, concurrency: number, run: MeasuredRun) => {
    const key = `${what} ${via} ${concurrency}`;
    const runs = [...(samples.get(key) ?? []), run];
    samples.set(key, runs);
    results[what][via][concurrency] = pointOf(runs);
  };
  const rounds = Array.from({ length: options.repeats }, (_, round) => round);
  const visits = options.concurrencies.flatMap((concurrency) =>
    rounds.flatMap((round) =>
      orderOf(round).map((via): Task => ({
        label: `visits, ${via}, concurrency ${concurrency}, sample ${round + 1}/${options.repeats}`,
        estimatedSeconds: setUpSeconds(concurrency * options.casesPerClient(concurrency)) + options.runSeconds,
        run: async () => {
          point(
            'visits',
            via,
            concurrency,
            await visitThroughput(bench(), bench()[via], concurrency, options.runSeconds, options.casesPerClient(concurrency)),
          );
        },
      })),
    ),
  );
  const intakes = options.intakeConcurrencies.flatMap((concurrency) =>
    rounds.flatMap((round) =>
      orderOf(round).map((via): Task => ({
        label: `intakes, ${via}, concurrency ${concurrency}, sample ${round + 1}/${options.repeats}`,
        estimatedSeconds: options.runSeconds,
        run: async () => {
          point('intakes', via, concurrency, await intakeThroughput(bench(), bench()[via], concurrency, options.runSeconds));
        },
      })),
    ),
  );
  return [...visits, ...intakes];
}

function latencyTasks(bench: () => BenchStack): Task[] {
  const seriesSeconds = options.latencyLoads.length * (options.latencySeconds + 1);
  const comparisonCases = COMPARISON_CONCURRENCY * options.casesPerClient(COMPARISON_CONCURRENCY);
  return [
    {
      label: 'step latency, open loop, default cache',
      estimatedSeconds: setUpSeconds(options.latencyCases) + seriesSeconds,
      run: async () => {
        const cases = await casesInFollowUp(bench(), options.latencyCases);
        results.latency = await latencySeries(bench(), cases, peakApiVisits(results).perSecond, options);
      },
    },
    {
      // Cases set up before the cache is made small; then its own maximum, since the default
      // cache's rates would only measure a queue.
      label: 'step latency, small cache (replays)',
      estimatedSeconds: setUpSeconds(options.latencyCases + comparisonCases) + options.runSeconds + seriesSeconds + 10,
      run: async () => {
        const closedLoopCases = await casesInFollowUp(bench(), comparisonCases);
        const openLoopCases = await casesInFollowUp(bench(), options.latencyCases);
        await restartWorker(bench(), smallCacheEnv(options));
        const visits = await visitsOn(bench(), bench().api, closedLoopCases, COMPARISON_CONCURRENCY, options.runSeconds);
        results.smallCacheVisits = { ...visits, concurrency: COMPARISON_CONCURRENCY };
        results.latencySmallCache = await latencySeries(bench(), openLoopCases, visits.perSecond, options);
      },
    },
  ];
}

function lifecycleTask(bench: () => BenchStack): Task {
  return {
    label: 'full lifecycles',
    estimatedSeconds: options.lifecycleSeconds + 2,
    run: async () => {
      const concurrency = options.lifecycleConcurrency;
      results.lifecycles = { ...(await lifecycleThroughput(bench(), concurrency, options.lifecycleSeconds)), concurrency };
    },
  };
}

function growthTasks(bench: () => BenchStack): Task[] {
  let growth: Growth | undefined;
  let burst: ArmedTimerBurst | undefined;
  const started = async () => (growth ??= await startGrowth(bench()));
  let previous = 0;
  const sizes = options.growthSizes.map((size): Task => {
    const opening = (size - previous) / CASES_OPENED_PER_SECOND;
    previous = size;
    return {
      label: `growth: ${size.toLocaleString('en')} open cases`,
      estimatedSeconds: opening + options.growthProbeSeconds,
      run: async () => {
        results.growth.push(await (await started()).measureAt(size, options.growthProbePerSecond, options.growthProbeSeconds));
      },
    };
  });
  const timers = `${options.timerCount.toLocaleString('en')} SLA timers`;
  const arm: Task = {
    label: `${timers}: office opening set, cases opened`,
    estimatedSeconds: options.timerCount / CASES_OPENED_PER_SECOND + 2,
    run: async () => {
      const openedPerSecond = results.growth.at(-1)?.openedPerSecond || CASES_OPENED_PER_SECOND;
      burst = await armTimerBurst(bench(), await started(), options.timerCount, openedPerSecond);
    },
  };
  const fallDue: Task = {
    label: `${timers} due at once`,
    estimatedSeconds: 40,
    run: async () => {
      results.timers = await burst!.collect();
    },
  };
  // The timers fall due among the most open cases; in --quick, growth is measured while they wait for their minute.
  return options.growthAlongside ? [arm, ...sizes, fallDue] : [...sizes, arm, fallDue];
}

/**
 * The stacks one after the other; in `--quick`, growth and timers side by side with the others,
 * since the timer burst spends most of its time waiting for a whole minute.
 */
function plan(): Lane[] {
  const stacks: Record<StackName, () => Task[]> = {
    // The latency tasks go last: the second leaves the worker with a small cache.
    memory: () =>
      onStack('bench_memory', false, (bench) => [
        storageTask(bench, 'memory'),
        ...throughputTasks(bench),
        lifecycleTask(bench),
        ...latencyTasks(bench),
      ]),
    wal: () => onStack('bench_wal', true, (bench) => [storageTask(bench, 'wal')]),
    growth: () => onStack('bench_growth', false, growthTasks),
  };
  const lane = (names: readonly StackName[]) => names.filter((name) => options.only.includes(name)).flatMap((name) => stacks[name]());
  return options.growthAlongside ? [lane(['memory', 'wal']), lane(['growth'])] : [lane(STACKS)];
}

async function main(): Promise<void> {
  lockMachine();
  let taskSeconds: Record<string, number>;
  try {
    taskSeconds = await runWithProgress(plan());
  } finally {
    await Promise.all([...running].map(stop));
  }
  const report: Report = {
    generatedAt: new Date().toISOString(),
    mode: options.quick ? 'quick' : 'full',
    stacks: options.only,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: machine!,
    taskSeconds,
    settings: { workerEnv: options.workerEnv, apiEnv: options.apiEnv, options: optionsSummary(options) },
    results,
  };
  const file = options.out ?? LATEST;
  writeReport(file, report);
  console.log(formatReport(report));
  console.log(`\nWritten to ${file}`);
}

await main();
