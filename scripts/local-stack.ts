/**
 * The whole service as separate OS processes on this machine — a Temporal dev server, the
 * worker and the API — over a database of its own, for `npm run bench` and `npm run chaos`.
 * Separate processes so that each one's CPU time and memory can be read, and so that a
 * worker can be killed with SIGKILL as a real crash would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { addAgency, type NewAgency } from '../api/agencies.js';
import { config, projectRoot } from '../config.js';
import { dropDatabase } from '../db/admin.js';
import { createPool, type Pool } from '../db/pool.js';
import { prepareDatabase } from '../db/prepare.js';
import { encryptingDataConverter } from '../encryption/data-converter.js';
import { parsePayloadKeys } from '../encryption/keys.js';
import { startDevServer, type DevServer } from './dev-server.js';
import { freePort } from './free-port.js';

export interface LocalStackOptions {
  /** Names the database (`ppks_<name>`) and the folder under .data/ for logs and the SQLite file. */
  name: string;
  /** Keep Temporal's state in SQLite (WAL) so it survives a server restart; in memory otherwise. */
  persistTemporal: boolean;
  /** Extra environment of the worker process (tuning: WORKER_* settings). */
  workerEnv?: Record<string, string>;
  /** Extra environment of the API process. */
  apiEnv?: Record<string, string>;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /**
   * Starts it again after it died or was killed; resolves when it is ready. `envChanges` are added
   * to its environment from then on (a benchmark restarting the worker with another tuning).
   */
  restart(envChanges?: Record<string, string>): Promise<void>;
  /** SIGKILL, as a crash: no shutdown handler runs. Resolves when the process is gone. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalStack {
  baseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  databaseUrl: string;
  /** A pool of the calling process on the stack's database (for checks and agency keys). */
  pool: Pool;
  /** A Temporal client of the calling process, with the stack's payload encryption. */
  temporal: Client;
  dataConverter: DataConverter;
  api: ManagedProcess;
  worker: ManagedProcess;
  /** The current dev server process (its pid changes on restart). */
  temporalServerPid(): number;
  /** Stops and starts the dev server on the same port (and the same SQLite file when persisted). */
  restartTemporal(): Promise<void>;
  keyFor(agency: NewAgency): Promise<string>;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dir = path.join(config.dataDir, options.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const databaseUrl = databaseUrlFor(`ppks_${options.name.replace(/[^a-z0-9_]/gi, '_')}`);
  await dropDatabase(databaseUrl);
  await prepareDatabase(databaseUrl);

  const port = await freePort();
  const serverOptions = {
    port,
    headless: true,
    logFile: path.join(dir, 'temporal.log'),
    dbFile: options.persistTemporal ? path.join(dir, 'temporal.sqlite') : undefined,
  };
  let server: DevServer = await startDevServer(serverOptions);

  const payloadKeys = `local:${randomBytes(32).toString('base64')}`;
  const dataConverter = encryptingDataConverter(parsePayloadKeys(payloadKeys));
  const taskQueue = `ppks-${options.name}`;
  const apiPort = await freePort();
  // Their own metrics and health ports: the defaults may be taken (by `npm start`), and a worker restarts.
  const [apiMetricsPort, workerMetricsPort, workerHealthPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PPKS_PAYLOAD_KEYS: payloadKeys,
    PPKS_DATA_DIR: dir,
    PORT: String(apiPort),
    API_METRICS_PORT: String(apiMetricsPort),
    WORKER_METRICS_PORT: String(workerMetricsPort),
    WORKER_HEALTH_PORT: String(workerHealthPort),
    LOG_LEVEL: 'info',
  };
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  const worker = managedProcess('worker', 'worker/main.ts', { ...env, ...options.workerEnv }, dir, (proc) =>
    proc.lineMatching(/worker polling/),
  );
  const api = managedProcess('api', 'api/main.ts', { ...env, ...options.apiEnv }, dir, () => waitForHttp(`${baseUrl}/healthz`));
  await Promise.all([worker.restart(), api.restart()]);

  const pool = createPool(databaseUrl, 10);
  const connection = await Connection.connect({ address: server.address });
  const temporal = new Client({ connection, dataConverter });

  return {
    baseUrl,
    temporalAddress: server.address,
    taskQueue,
    databaseUrl,
    pool,
    temporal,
    dataConverter,
    api,
    worker,
    temporalServerPid: () => server.pid,
    async restartTemporal() {
      await server.stop();
      server = await startDevServer(serverOptions);
    },
    keyFor: async (agency) => (await addAgency(pool, agency)).apiKey,
    async stop() {
      await Promise.all([api.stop(), worker.stop()]);
      await connection.close();
      await pool.end();
      await server.stop();
    },
  };
}

interface RunningChild {
  child: ChildProcess;
  exited: Promise<void>;
  lineMatching(pattern: RegExp): Promise<void>;
}

function managedProcess(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  dir: string,
  ready: (proc: RunningChild) => Promise<void>,
): ManagedProcess {
  const log: WriteStream = createWriteStream(path.join(dir, `${name}.log`), { flags: 'a' });
  let current: RunningChild | null = null;

  const launch = (): RunningChild => {
    // node --import tsx, not the tsx launcher: the pid is then the process doing the work.
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const waiters: { pattern: RegExp; resolve: () => void }[] = [];
    const onLine = (line: string) => {
      log.write(`${line}\n`);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const killOnExit = () => child.kill('SIGKILL');
    process.on('exit', killOnExit);
    child.once('close', () => process.off('exit', killOnExit));
    return {
      child,
      exited,
      lineMatching: (pattern) =>
        Promise.race([
          new Promise<void>((resolve) => waiters.push({ pattern, resolve })),
          exited.then(() => Promise.reject(new Error(`${name} exited before it was ready; see ${path.join(dir, `${name}.log`)}`))),
        ]),
    };
  };

  const alive = () => current !== null && current.child.exitCode === null && current.child.signalCode === null;

  return {
    name,
    get pid() {
      if (!current?.child.pid) throw new Error(`${name} is not running`);
      return current.child.pid;
    },
    async restart(envChanges) {
      if (alive()) throw new Error(`${name} is still running`);
      if (envChanges) env = { ...env, ...envChanges };
      current = launch();
      await ready(current);
    },
    async kill9() {
      if (!current || !alive()) return;
      current.child.kill('SIGKILL');
      await current.exited;
    },
    async stop() {
      if (!current || !alive()) return;
      current.child.kill('SIGTERM');
      const timer = setTimeout(() => current?.child.kill('SIGKILL'), 10_000);
      await current.exited;
      clearTimeout(timer);
    },
  };
}

async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function databaseUrlFor(name: string): string {
  const url = new URL(config.databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
