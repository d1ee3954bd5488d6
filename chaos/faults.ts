/**
 * The fault schedule: kill -9 the worker (and start it again after a short pause) at intervals,
 * restart the Temporal dev server and restart PostgreSQL, interleaved while the cases run. A
 * watchdog notices a worker or API that dies on its own (not by our hand) and starts it again.
 */
import type { LocalStack, ManagedProcess } from '../scripts/local-stack.js';
import { sleep } from './http.js';
import type { ChaosOptions } from './options.js';
import { type Cluster, restartPostgres } from './postgres.js';

type FaultKind = 'worker_kill' | 'temporal_restart' | 'postgres_restart';

export interface Fault {
  kind: FaultKind;
  plannedAtMs: number;
  startedAtMs: number;
  endedAtMs: number;
  detail: string;
  error: string | null;
}

export interface Planned {
  kind: FaultKind;
  atMs: number;
}

/**
 * Every fault at an even spacing over the window (from `faultStartMs`), the worker kills around
 * the restarts: the Temporal restart at about a third of the sequence, PostgreSQL's at about two
 * thirds (with 3 kills: kill, Temporal, kill, PostgreSQL, kill).
 */
export function planFaults(
  options: Pick<ChaosOptions, 'workerKills' | 'temporalRestarts' | 'postgresRestarts' | 'faultStartMs' | 'faultWindowMs'>,
): Planned[] {
  const kinds: FaultKind[] = Array.from({ length: options.workerKills }, () => 'worker_kill');
  const insert = (kind: FaultKind, count: number, at: number) => {
    for (let k = 0; k < count; k++) {
      const total = kinds.length + 1;
      kinds.splice(Math.min(kinds.length, Math.round(total * at) + k), 0, kind);
    }
  };
  insert('temporal_restart', options.temporalRestarts, 1 / 3);
  insert('postgres_restart', options.postgresRestarts, 2 / 3);
  return kinds.map((kind, i) => ({
    kind,
    atMs: Math.round(options.faultStartMs + (options.faultWindowMs * (i + 0.5)) / kinds.length),
  }));
}

export interface UnexpectedExit {
  process: string;
  atMs: number;
}

/** Restarts the worker or the API when it died without being killed by the schedule. */
export class Watchdog {
  readonly unexpected: UnexpectedExit[] = [];
  private readonly down = new Set<ManagedProcess>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly processes: ManagedProcess[],
    private readonly startedAt: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      for (const proc of this.processes) {
        if (this.down.has(proc) || alive(proc)) continue;
        this.unexpected.push({ process: proc.name, atMs: Date.now() - this.startedAt });
        this.down.add(proc);
        proc
          .restart()
          .catch(() => {})
          .finally(() => this.down.delete(proc));
      }
    }, 1000);
  }

  /** While `work` runs, `proc` is down on purpose. */
  async planned<T>(proc: ManagedProcess, work: () => Promise<T>): Promise<T> {
    while (this.down.has(proc)) await sleep(100); // a restart by the watchdog is still under way
    this.down.add(proc);
    try {
      return await work();
    } finally {
      this.down.delete(proc);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

function alive(proc: ManagedProcess): boolean {
  try {
    process.kill(proc.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs the planned faults in order, each no earlier than planned and after the one before. */
export async function runFaults(
  planned: Planned[],
  env: { stack: LocalStack; cluster: Cluster | null; watchdog: Watchdog; options: ChaosOptions; startedAt: number },
  onFault: (fault: Fault) => void,
): Promise<Fault[]> {
  const { stack, cluster, watchdog, options, startedAt } = env;
  const since = () => Date.now() - startedAt;
  const faults: Fault[] = [];
  for (const plan of planned) {
    await sleep(Math.max(0, plan.atMs - since()));
    const startedAtMs = since();
    let detail = '';
    let error: string | null = null;
    try {
      if (plan.kind === 'worker_kill') {
        detail = await watchdog.planned(stack.worker, async () => {
          // A kill of a worker that is already down would hit nothing: it is not done.
          const pid = stack.worker.pid;
          if (!alive(stack.worker)) throw new Error(`the worker (pid ${pid}) was already down`);
          await stack.worker.kill9();
          if (alive(stack.worker)) throw new Error(`pid ${pid} still runs after kill -9`);
          const [min, max] = options.workerDownMs;
          const downMs = Math.round(min + Math.random() * (max - min));
          await sleep(downMs);
          const restartAt = Date.now();
          await stack.worker.restart();
          const after = stack.worker.pid;
          if (after === pid || !alive(stack.worker)) throw new Error(`the worker's pid did not change (${pid} before, ${after} after)`);
          return `kill -9 pid ${pid}, pid ${after} ready; down ${(downMs / 1000).toFixed(1)} s, ready ${((Date.now() - restartAt) / 1000).toFixed(1)} s after start`;
        });
      } else if (plan.kind === 'temporal_restart') {
        const pid = stack.temporalServerPid();
        await stack.restartTemporal();
        if (stack.temporalServerPid() === pid) throw new Error(`the dev server's pid did not change (${pid})`);
        detail = `dev server pid ${pid} stopped, pid ${stack.temporalServerPid()} answering after ${((since() - startedAtMs) / 1000).toFixed(1)} s`;
      } else {
        if (!cluster) throw new Error('no PostgreSQL cluster to restart');
        await restartPostgres(cluster, stack.databaseUrl, options.postgresDownMs);
        detail = `pg_ctlcluster ${cluster.version} ${cluster.name} stop -m fast, ${(options.postgresDownMs / 1000).toFixed(0)} s down, start; connectable after ${((since() - startedAtMs) / 1000).toFixed(1)} s`;
      }
    } catch (caught) {
      error = (caught as Error).message;
    }
    const fault: Fault = { kind: plan.kind, plannedAtMs: plan.atMs, startedAtMs, endedAtMs: since(), detail, error };
    faults.push(fault);
    onFault(fault);
    await sleep(3_000); // at least a moment of calm between two faults
  }
  return faults;
}
