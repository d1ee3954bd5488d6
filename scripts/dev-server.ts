/**
 * Runs `temporal server start-dev` as a child process with this service's search attributes,
 * and tells when it really answers.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributeRegistrations } from '../workflows/search-attributes.js';
import { temporalCliPath } from './temporal-bin.js';

export interface DevServerOptions {
  port: number;
  uiPort?: number;
  headless?: boolean;
  /** SQLite file for persistent history; in-memory when omitted. */
  dbFile?: string;
  ip?: string;
  /** Server stdout/stderr are appended here; otherwise only kept in memory for error messages. */
  logFile?: string;
  /** Remote codec the Web UI decodes payloads with (not used when headless). */
  uiCodecEndpoint?: string;
  /** Extra namespaces to create ("default" always exists). */
  namespaces?: string[];
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  /** The server process (benchmarks read its CPU time and memory; fault injection kills it). */
  pid: number;
  stop(): Promise<void>;
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const address = `${ip}:${opts.port}`;
  // Otherwise our readiness probe could be answered by that other server while ours fails to bind.
  if (await isServerUp(address)) throw new Error(`A Temporal server already answers on ${address}`);

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(opts.port), '--ui-disable-news-fetch', '--log-level', 'warn'];
  for (const [name, type] of Object.entries(searchAttributeRegistrations)) args.push('--search-attribute', `${name}=${type}`);
  for (const ns of opts.namespaces ?? []) if (ns !== 'default') args.push('--namespace', ns);
  if (opts.dbFile) {
    mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    // WAL + NORMAL: far fewer fsyncs; a power cut can lose the last moments, never corrupt the file.
    args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL');
  }
  if (opts.headless) args.push('--headless');
  else {
    if (opts.uiPort !== undefined) args.push('--ui-port', String(opts.uiPort));
    if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  }

  const cli = await temporalCliPath();
  // Own process group: a terminal Ctrl-C reaches only our parent, which can then stop the
  // worker before the server it talks to (see stop()).
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : null;
  let tail = '';
  const collect = (chunk: Buffer) => {
    log?.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('close', () => {
      exited = true;
      log?.end();
      resolve();
    });
  });
  const spawnError = new Promise<Error>((resolve) => child.on('error', resolve));
  // Last resort if our parent exits without calling stop(); it cannot help against SIGKILL.
  const killOnExit = () => killGroup(child.pid, 'SIGKILL');
  process.on('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (exited) return;
    killGroup(child.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000);
    await exitPromise;
    clearTimeout(timer);
  };

  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let failure: string | null = null;
  void spawnError.then((err) => (failure = `could not run ${cli}: ${err.message}`));
  for (;;) {
    if (failure) break;
    if (exited) {
      failure = `exited with code ${child.exitCode ?? child.signalCode}`;
      break;
    }
    if (await isServerUp(address)) return { address, pid: child.pid!, stop };
    if (Date.now() > deadline) {
      failure = `did not answer within ${timeoutMs / 1000} s`;
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`Temporal dev server on ${address} ${failure}. Its last output:\n${tail.trim() || '(none)'}`);
}

/** True when a Temporal frontend answers GetSystemInfo on address. */
export async function isServerUp(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.withDeadline(Date.now() + 2000, () => connection!.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
