/**
 * Restarting the machine's PostgreSQL cluster (Debian's pg_ctlcluster), as an outage: stopped
 * (fast: every connection is cut), left down a few seconds, started again. Run as root (CI) or
 * as the cluster's owner. `--skip-systemctl-redirect` because these machines run no systemd.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { sleep } from './http.js';

const run = promisify(execFile);

export interface Cluster {
  version: string;
  name: string;
  port: number;
}

/** The cluster listening on the port of `databaseUrl` (pg_lsclusters). */
export async function clusterOf(databaseUrl: string): Promise<Cluster> {
  const port = Number(new URL(databaseUrl).port || 5432);
  const { stdout } = await run('pg_lsclusters', ['--no-header']);
  for (const line of stdout.trim().split('\n')) {
    const [version, name, clusterPort] = line.trim().split(/\s+/);
    if (Number(clusterPort) === port) return { version: version!, name: name!, port };
  }
  throw new Error(`no PostgreSQL cluster on port ${port} in pg_lsclusters:\n${stdout}`);
}

const ctl = (cluster: Cluster, action: string, ...extra: string[]) =>
  run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, action, ...extra], { timeout: 120_000 });

/** The cluster while this process holds it stopped: an interrupted run must start it again. */
let stopped: Cluster | null = null;

/** Stops the cluster, waits `downMs`, starts it and waits until it takes connections. */
export async function restartPostgres(cluster: Cluster, databaseUrl: string, downMs: number): Promise<void> {
  stopped = cluster;
  try {
    await ctl(cluster, 'stop', '-m', 'fast');
    await sleep(downMs);
  } finally {
    await ctl(cluster, 'start');
    stopped = null;
  }
  await untilConnectable(databaseUrl);
}

/** Starts the cluster again if a restart was cut short (Ctrl-C, the run's deadline). */
export async function startPostgresIfStopped(): Promise<void> {
  const cluster = stopped;
  if (!cluster) return;
  stopped = null;
  await ctl(cluster, 'start').catch((error) =>
    console.error(`starting PostgreSQL ${cluster.version}/${cluster.name} again failed: ${error.message}`),
  );
}

async function untilConnectable(databaseUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error('PostgreSQL did not come back', { cause: error });
      await sleep(250);
    } finally {
      await client.end().catch(() => {});
    }
  }
}
