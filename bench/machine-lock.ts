/**
 * One benchmark at a time on a machine: two would share the cores (every figure would be wrong)
 * and the PostgreSQL server, where each recreates the same `ppks_bench_*` databases under the
 * other. The lock is a file in the system's temp folder holding the owner's pid; one left by a
 * process that is gone is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LOCK = path.join(os.tmpdir(), 'ppks-bench.lock');

export function lockMachine(): void {
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      process.on('exit', () => rmSync(LOCK, { force: true }));
      return;
    } catch {
      const owner = Number(readFileSync(LOCK, 'utf8'));
      if (isAlive(owner)) throw new Error(`another npm run bench (pid ${owner}) is running on this machine; wait for it (lock: ${LOCK})`);
      rmSync(LOCK, { force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
