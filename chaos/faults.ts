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

/** Worker kills evenly over the window; the restarts at about 35 % and 65 % of it. */
export function planFaults(options: ChaosOptions): Planned[] {
  const w = options.faultWindowMs;
  const planned: Planned[] = [];
  for (let k = 0; k < options.workerKills; k++)
    planned.push({ kind: 'worker_kill', atMs: Math.round(w * (0.05 + (0.9 * (k + 0.5)) / options.workerKills)) });
  for (let k = 0; k < options.temporalRestarts; k++)
    planned.push({ kind: 'temporal_restart', atMs: Math.round(w * (0.35 + 0.1 * k)) + 4_000 });
  for (let k = 0; k < options.postgresRestarts; k++)
    planned.push({ kind: 'postgres_restart', atMs: Math.round(w * (0.65 + 0.1 * k)) + 4_000 });
  return planned.sort((x, y) => x.atMs - y.atMs);
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
          const pid = stack.worker.pid;
          await stack.worker.kill9();
          const [min, max] = options.workerDownMs;
          const downMs = Math.round(min + Math.random() * (max - min));
          await sleep(downMs);
          const restartAt = Date.now();
          await stack.worker.restart();
          return `kill -9 pid ${pid}; down ${(downMs / 1000).toFixed(1)} s, ready ${((Date.now() - restartAt) / 1000).toFixed(1)} s after start`;
        });
      } else if (plan.kind === 'temporal_restart') {
        const pid = stack.temporalServerPid();
        await stack.restartTemporal();
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
