/**
 * CPU time and memory of each process of a stack: the API, the worker, the Temporal dev server,
 * PostgreSQL (the whole server: other databases' work on this machine counts too) and this
 * benchmark process itself, which offers the load.
 */
import { cpuMs, postgresCpuMs, rssBytes } from '../scripts/process-usage.js';
import type { LocalStack } from '../scripts/local-stack.js';
import { round } from './stats.js';

export const PROCESSES = ['api', 'worker', 'temporal', 'postgres', 'bench'] as const;
type ProcessName = (typeof PROCESSES)[number];
export type CpuSnapshot = Record<ProcessName, number>;

export function cpuSnapshot(stack: LocalStack): CpuSnapshot {
  const own = process.cpuUsage();
  return {
    api: cpuMs(stack.api.pid),
    worker: cpuMs(stack.worker.pid),
    temporal: cpuMs(stack.temporalServerPid()),
    postgres: postgresCpuMs(),
    bench: (own.user + own.system) / 1000,
  };
}

/** CPU ms each process spent per unit of work (a step, an intake) between two snapshots. */
export function cpuPer(before: CpuSnapshot, after: CpuSnapshot, units: number): CpuSnapshot {
  const per = (name: ProcessName) => (units === 0 ? 0 : round((after[name] - before[name]) / units, 2));
  return Object.fromEntries(PROCESSES.map((name) => [name, per(name)])) as CpuSnapshot;
}

export interface MemorySnapshot {
  workerMiB: number;
  temporalMiB: number;
  apiMiB: number;
}

export function memorySnapshot(stack: LocalStack): MemorySnapshot {
  const mib = (pid: number) => round(rssBytes(pid) / 2 ** 20, 0);
  return { workerMiB: mib(stack.worker.pid), temporalMiB: mib(stack.temporalServerPid()), apiMiB: mib(stack.api.pid) };
}
