/**
 * What one chaos run does: how many cases, how they split over the paths, and which faults
 * when. `npm run chaos` runs the full form; `npm run chaos -- --quick` the short form for CI.
 */
import { parseArgs } from 'node:util';

/** The paths a case can take through the service (chaos/paths.ts drives each one). */
export const PATHS = [
  'upt_placement',
  'repatriation',
  'medical_hold',
  'relay',
  'bed_shortage',
  'left_at_identification',
  'left_at_address',
  'left_at_departure',
  'closed_by_supervisor',
] as const;
export type PathName = (typeof PATHS)[number];

export interface ChaosOptions {
  mode: 'full' | 'quick';
  /** Stack name: `chaos…` only (the database is `ppks_<name>`). */
  stackName: string;
  cases: number;
  /** Share of the cases per path (normalised; every path gets at least one case). */
  mix: Record<PathName, number>;
  /** Beds left in the one UPT serving tuna_susila, so that the bed_shortage cases race for them. */
  shortageBeds: number;
  workerKills: number;
  /** How long the worker stays dead before it is started again. */
  workerDownMs: [number, number];
  temporalRestarts: number;
  postgresRestarts: number;
  /** How long PostgreSQL stays stopped during its restart. */
  postgresDownMs: number;
  /** The faults are spread evenly over this window, which opens `faultStartMs` after the first intake. */
  faultStartMs: number;
  faultWindowMs: number;
  /**
   * A 503 counts as the outage's when its request was in flight during a fault or at most this
   * long after the fault ended (docs/fault-injection.md says why 5 s); any other 503 fails the run.
   */
  graceMs: number;
  /**
   * How long a case the worker kill hit may wait on an activity the killed worker held: the
   * activities' start-to-close timeout (workflows/activities.ts), after which Temporal retries it.
   */
  workerHeldMs: number;
  /** Intakes are spread over this time, so that cases are at every step when faults hit. */
  intakeSpreadMs: number;
  /** Share of accepted steps whose answer is taken as lost, so that the agency sends the same request again. */
  lostAnswerShare: number;
  /** An agency's pause between two steps of one case. */
  thinkMs: [number, number];
  /** Requests in flight at once, over all agencies. */
  httpConcurrency: number;
  /** How long the service may take, after the faults, to bring every case where it belongs. */
  settleTimeoutMs: number;
  /** A case waiting for a bed asks again this often (the worker's PLACEMENT_RECHECK_INTERVAL). */
  placementRecheck: string;
  seed: number;
  /** The whole run, startup included, is aborted past this. */
  maxRunMs: number;
}

const MIX: Record<PathName, number> = {
  upt_placement: 26,
  repatriation: 20,
  medical_hold: 12,
  relay: 14,
  bed_shortage: 8,
  left_at_identification: 8,
  left_at_address: 4,
  left_at_departure: 4,
  closed_by_supervisor: 4,
};

const FULL: ChaosOptions = {
  mode: 'full',
  stackName: 'chaos',
  cases: 500,
  mix: MIX,
  shortageBeds: 12,
  workerKills: 10,
  workerDownMs: [1_000, 5_000],
  temporalRestarts: 1,
  postgresRestarts: 1,
  postgresDownMs: 5_000,
  faultStartMs: 10_000,
  faultWindowMs: 180_000,
  graceMs: 5_000,
  workerHeldMs: 30_000,
  intakeSpreadMs: 150_000,
  lostAnswerShare: 0.1,
  thinkMs: [1_000, 6_000],
  httpConcurrency: 48,
  settleTimeoutMs: 240_000,
  placementRecheck: 'PT10S',
  seed: 20261128,
  maxRunMs: 30 * 60_000,
};

const QUICK: ChaosOptions = {
  ...FULL,
  mode: 'quick',
  stackName: 'chaos_quick',
  cases: 60,
  shortageBeds: 3,
  workerKills: 3,
  workerDownMs: [1_000, 3_000],
  postgresDownMs: 3_000,
  // Five faults, one after the other (each waits for the one before and 3 s of calm), from 10 s
  // to about 55 s; the intakes go on until 50 s and their cases until about 70 s, so every fault
  // lands on intakes and steps in flight.
  faultStartMs: 6_000,
  faultWindowMs: 40_000,
  intakeSpreadMs: 50_000,
  lostAnswerShare: 0.25,
  thinkMs: [500, 3_000],
  httpConcurrency: 24,
  settleTimeoutMs: 120_000,
  placementRecheck: 'PT5S',
  maxRunMs: 10 * 60_000,
};

const USAGE = `usage: npm run chaos [-- --quick] [--cases N] [--worker-kills N] [--temporal-restarts N] [--postgres-restarts N] [--seed N]
  default  500 cases, 10 worker kills (kill -9), one Temporal dev server restart, one PostgreSQL restart
  --quick  the short form for CI: 60 cases, 3 worker kills, one of each restart, all within the load (about 2 minutes)`;

export function parseOptions(argv: string[]): ChaosOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      cases: { type: 'string' },
      'worker-kills': { type: 'string' },
      'temporal-restarts': { type: 'string' },
      'postgres-restarts': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const options = { ...(values.quick ? QUICK : FULL) };
  const count = (text: string | undefined, min: number, name: string) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) {
      console.error(`--${name} must be a whole number of at least ${min}\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  options.cases = count(values.cases, PATHS.length, 'cases') ?? options.cases;
  options.workerKills = count(values['worker-kills'], 0, 'worker-kills') ?? options.workerKills;
  options.temporalRestarts = count(values['temporal-restarts'], 0, 'temporal-restarts') ?? options.temporalRestarts;
  options.postgresRestarts = count(values['postgres-restarts'], 0, 'postgres-restarts') ?? options.postgresRestarts;
  options.seed = count(values.seed, 0, 'seed') ?? options.seed;
  return options;
}

/** How many cases each path gets: proportional to the mix, at least one each, summing to `cases`. */
export function casesPerPath(options: ChaosOptions): Record<PathName, number> {
  const total = PATHS.reduce((sum, path) => sum + options.mix[path], 0);
  const counts = Object.fromEntries(
    PATHS.map((path) => [path, Math.max(1, Math.floor((options.cases * options.mix[path]) / total))]),
  ) as Record<PathName, number>;
  let missing = options.cases - PATHS.reduce((sum, path) => sum + counts[path], 0);
  // The remainder goes to the complete paths, largest first.
  for (let i = 0; missing !== 0; i = (i + 1) % 4) {
    const path = PATHS[i]!;
    if (missing > 0) {
      counts[path]++;
      missing--;
    } else if (counts[path] > 1) {
      counts[path]--;
      missing++;
    }
  }
  return counts;
}
