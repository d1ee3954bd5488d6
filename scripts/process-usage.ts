/**
 * CPU time and memory of processes on this machine, read from /proc (Linux), for benchmarks.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, in clock ticks. */
  ownTicks: number;
  /** cutime + cstime: children that exited and were waited for. */
  reapedChildTicks: number;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state) of proc(5).
  return {
    pid,
    comm,
    ppid: Number(fields[1]),
    ownTicks: Number(fields[11]) + Number(fields[12]),
    reapedChildTicks: Number(fields[13]) + Number(fields[14]),
  };
}

const toMs = (ticks: number) => (ticks * 1000) / ticksPerSecond;

/** CPU time (user + system) the process has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readStat(pid);
  return stat ? toMs(stat.ownTicks) : 0;
}

/** Resident memory of the process, in bytes. */
export function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * CPU time of the whole PostgreSQL server, in ms: the postmaster, its live backends, and the
 * backends that have already exited (counted in the postmaster's reaped-children time).
 */
export function postgresCpuMs(): number {
  const stats = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readStat(Number(entry)))
    .filter((stat): stat is ProcStat => stat !== null && stat.comm === 'postgres');
  const pids = new Set(stats.map((stat) => stat.pid));
  return toMs(stats.reduce((sum, stat) => sum + stat.ownTicks + (pids.has(stat.ppid) ? 0 : stat.reapedChildTicks), 0));
}
