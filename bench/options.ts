/**
 * How big and how long each part of the benchmark is: the full run (about 18 minutes on two
 * cores) or `--quick` (a minute or two, for checking that it works); which stacks run
 * (`--only`, for trying a tuning on one part) and where the JSON goes (`--out`); and the tuning
 * passed to the worker and API processes (`--worker-env NAME=value`, `--api-env NAME=value`).
 */
export interface BenchOptions {
  quick: boolean;
  /** Concurrency of the closed-loop throughput runs: visits, and intakes. */
  concurrencies: number[];
  intakeConcurrencies: number[];
  /** Length of each throughput run (steps and intakes), seconds. */
  runSeconds: number;
  /**
   * Samples of each throughput point (visits and intakes, per concurrency), API and bare
   * alternating and taking turns going first (bench/repeats.ts).
   */
  repeats: number;
  /** Cases each closed-loop client takes turns on (bounds how long a case's history grows in a run). */
  casesPerClient: (concurrency: number) => number;
  /** Open-loop loads, as shares of the highest step throughput through the API. */
  latencyLoads: number[];
  latencySeconds: number;
  /** Each open-loop run lasts long enough for at least this many requests. */
  latencyMinRequests: number;
  /** Cases the open-loop steps go round. */
  latencyCases: number;
  /** The worker's cache when forced small, so that workflows replay. */
  smallCache: { maxCachedWorkflows: number; maxConcurrentWorkflowTasks: number };
  lifecycleSeconds: number;
  /** Whole cases under way at once. */
  lifecycleConcurrency: number;
  /** The same step run on the in-memory and on the SQLite (WAL) dev server. */
  storageSeconds: number;
  /** Open cases (each with a pending SLA timer) at which step latency and memory are measured. */
  growthSizes: number[];
  /**
   * Seconds of open-loop visits at each size, and their rate: fixed (about a quarter of what two
   * cores take), so that runs with other tuning, or `--only growth`, compare.
   */
  growthProbeSeconds: number;
  growthProbePerSecond: number;
  /** SLA timers due at the same instant. */
  timerCount: number;
  /**
   * Runs the growth stack side by side with the others instead of after them, and measures growth
   * while the timer burst waits for its whole minute: quicker, but each disturbs the other's figures.
   */
  growthAlongside: boolean;
  /** Stacks to run (all by default): `--only memory,wal,growth`. */
  only: StackName[];
  /** Where the JSON goes (`--out`); bench/latest.json by default. */
  out: string | undefined;
  workerEnv: Record<string, string>;
  apiEnv: Record<string, string>;
}

export const STACKS = ['memory', 'wal', 'growth'] as const;
export type StackName = (typeof STACKS)[number];

const FULL = {
  quick: false,
  concurrencies: [1, 8, 32],
  intakeConcurrencies: [1, 8, 32],
  runSeconds: 8,
  repeats: 3,
  casesPerClient: (concurrency: number) => Math.max(1, Math.ceil(16 / concurrency)),
  latencyLoads: [0.25, 0.5, 0.75],
  latencySeconds: 15,
  latencyMinRequests: 30,
  latencyCases: 48,
  smallCache: { maxCachedWorkflows: 4, maxConcurrentWorkflowTasks: 2 },
  lifecycleSeconds: 30,
  lifecycleConcurrency: 8,
  storageSeconds: 12,
  growthSizes: [100, 1_000, 10_000],
  growthProbeSeconds: 12,
  growthProbePerSecond: 8,
  timerCount: 1_000,
  growthAlongside: false,
};

const QUICK: typeof FULL = {
  ...FULL,
  quick: true,
  concurrencies: [8],
  intakeConcurrencies: [8],
  runSeconds: 2,
  casesPerClient: () => 1,
  latencyLoads: [0.5],
  latencySeconds: 2,
  latencyMinRequests: 4,
  latencyCases: 8,
  lifecycleSeconds: 4,
  storageSeconds: 2,
  growthSizes: [100],
  growthProbeSeconds: 2,
  timerCount: 100,
  growthAlongside: true,
};

export function parseOptions(args: string[]): BenchOptions {
  const workerEnv: Record<string, string> = {};
  const apiEnv: Record<string, string> = {};
  let quick = false;
  let only: StackName[] = [...STACKS];
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--only') only = stackNames(args[++i]);
    else if (arg === '--out') out = args[++i];
    else if (arg === '--worker-env' || arg === '--api-env') addSetting(arg === '--worker-env' ? workerEnv : apiEnv, args[++i]);
    else
      throw new Error(
        `unknown argument ${arg}; usage: npm run bench -- [--quick] [--only memory,wal,growth] [--out file.json] [--worker-env NAME=value]... [--api-env NAME=value]...`,
      );
  }
  return { ...(quick ? QUICK : FULL), only, out, workerEnv, apiEnv };
}

function addSetting(env: Record<string, string>, setting: string | undefined): void {
  const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(setting ?? '');
  if (!match) throw new Error(`expected NAME=value after --worker-env or --api-env, got ${setting}`);
  env[match[1]!] = match[2]!;
}

function stackNames(list: string | undefined): StackName[] {
  const names = (list ?? '').split(',').filter(Boolean);
  const unknown = names.filter((name) => !(STACKS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length) throw new Error(`--only takes a comma-separated list of ${STACKS.join(', ')}`);
  return names as StackName[];
}
