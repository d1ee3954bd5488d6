/** What the figures were measured on: the machine, and the versions of everything in the path. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../config.js';
import type { Pool } from '../db/pool.js';
import { temporalCliPath } from '../scripts/temporal-bin.js';
import { round } from './stats.js';

export interface Machine {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  temporalCli: string;
  postgres: string;
  temporalSdk: string;
}

export async function describeMachine(pool: Pool): Promise<Machine> {
  const cli = await temporalCliPath();
  const { stdout } = await promisify(execFile)(cli, ['--version']);
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${osName()} (Linux ${os.release()})`,
    node: process.version,
    temporalCli: stdout.trim(),
    postgres: rows[0]!.server_version,
    temporalSdk: packageVersion('@temporalio/worker'),
  };
}

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}

function packageVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
