/**
 * The Compose services whose command is ours, `api` and `worker`, run as real processes of the
 * compiled image code (`npm run build`, dist/) with exactly the environment their containers get:
 * the Dockerfile's ENV, then the service's `environment` from docker-compose.yml, interpolated as
 * Compose does; their secrets made by deploy/create-secrets.sh, and the database users and
 * databases by deploy/postgres/init-roles.sh. Each must become ready, and must refuse to start,
 * naming the variable, without any one of the secrets it is given.
 *
 * What differs from a container, and only that, to fit this machine (`onThisMachine` below):
 * - other services' host:port: `postgresql:5432` is this machine's PostgreSQL (TEST_DATABASE_URL's),
 *   `temporal:7233` the suite's Temporal dev server;
 * - names on that shared PostgreSQL server: every user and database of the postgresql service's
 *   environment (ppks, ppks_owner, ppks_app, temporal, temporal_visibility) gets the prefix
 *   `ppks_compose_`; the processes connect as those users (trust authentication here, so the
 *   passwords are not checked, which is why they are not among the secrets removed below);
 * - /run/secrets/<name> is a folder of this test, holding only the secrets the service is given;
 *   volume mounts and /app (the image's WORKDIR) are folders of this checkout or of this test;
 * - ports the processes listen on are free ports, and 0.0.0.0 is 127.0.0.1 (no fixed port, no
 *   address beyond loopback);
 * - TEMPORAL_TASK_QUEUE is one of its own, as the dev server's namespace is shared with other files;
 * - `node` is this machine's Node (20; the image's is 24).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../config.js';
import { onServer } from '../../db/admin.js';
import { freePort } from '../../scripts/free-port.js';
import { eventually } from '../support/service.js';
import { startNode, type NodeProcess } from '../support/processes.js';

interface Service {
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  secrets?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[] };
}

const composeText = readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8');
const services = (parse(composeText, { merge: true }) as { services: Record<string, Service> }).services;
const scratch = mkdtempSync(path.join(tmpdir(), 'ppks-compose-'));
const secretsDir = path.join(scratch, 'secrets');
const PREFIX = 'ppks_compose_';
/** Not checkable here: this machine's PostgreSQL lets any user in without a password (trust). */
const passwordVariables = new Set(['DATABASE_PASSWORD', 'DATABASE_OWNER_PASSWORD']);

/** Compose's interpolation: `$$`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`. */
function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(/\$\$|\$\{(\w+)(?:(:?)([-?])([^}]*))?\}/g, (whole, name: string, colon: string, kind: string, rest: string) => {
    if (whole === '$$') return '$';
    const set = name in variables && (colon !== ':' || variables[name] !== '');
    if (set) return variables[name]!;
    if (kind === '?') throw new Error(`required variable ${name} is missing a value: ${rest}`);
    return kind === '-' ? rest : '';
  });
}

/** The variables docker-compose.yml requires (`${VAR:?…}`), with a test value each. */
const requiredComposeVariables = Object.fromEntries(
  [...composeText.matchAll(/\$\{(\w+):?\?[^}]*\}/g)].map((m) => [m[1]!, `test-${m[1]!.toLowerCase()}`]),
);

/** The runtime stage's ENV of the Dockerfile. */
function imageEnvironment(): Record<string, string> {
  const runtime = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8')
    .split(/^(?=FROM )/m)
    .at(-1)!;
  const result: Record<string, string> = {};
  for (const m of runtime.matchAll(/^ENV\s+((?:.*\\\n)*.*)$/gm)) {
    for (const pair of m[1]!.replace(/\\\n/g, ' ').trim().split(/\s+/)) {
      const [key, ...value] = pair.split('=');
      result[key!] = value.join('=');
    }
  }
  return result;
}

/** The container's environment: the image's, then the service's, interpolated with `variables`. */
function containerEnvironment(service: Service, variables: Record<string, string>): Record<string, string> {
  const environment = { ...imageEnvironment() };
  for (const [key, value] of Object.entries(service.environment ?? {})) environment[key] = interpolate(String(value ?? ''), variables);
  return environment;
}

const database = new URL(inject('databaseUrl'));
const postgresqlEnv = containerEnvironment(services.postgresql!, requiredComposeVariables);
/** Users and databases the postgresql service creates, renamed for the shared server. */
const names = new Map(
  ['TEMPORAL_DB_USER', 'TEMPORAL_DB', 'TEMPORAL_VISIBILITY_DB', 'PPKS_DB', 'PPKS_OWNER_USER', 'PPKS_RUNTIME_USER'].map((key) => [
    postgresqlEnv[key]!,
    PREFIX + postgresqlEnv[key]!,
  ]),
);

/** The mapping described at the top of this file, applied to one service's container environment. */
async function onThisMachine(name: string, environment: Record<string, string>): Promise<Record<string, string>> {
  const service = services[name]!;
  const hosts: Record<string, string> = { 'postgresql:5432': database.host, 'temporal:7233': inject('temporalAddress') };
  const volumes = Object.fromEntries(
    (service.volumes ?? []).map((volume) => {
      const [, target] = volume.split(':');
      return [target!, path.join(scratch, `${name}-${path.basename(target!)}`)];
    }),
  );
  const result: Record<string, string> = { PATH: process.env.PATH!, HOME: process.env.HOME! };
  for (const [key, original] of Object.entries(environment)) {
    let value = original;
    for (const [from, to] of Object.entries(hosts)) value = value.replaceAll(from, to);
    if (/^postgres(ql)?:\/\//.test(value)) {
      const url = new URL(value);
      url.username = names.get(url.username) ?? url.username;
      url.pathname = `/${names.get(url.pathname.slice(1)) ?? url.pathname.slice(1)}`;
      value = url.toString();
    }
    if (value.startsWith('/run/secrets/')) {
      const secret = value.slice('/run/secrets/'.length);
      // Compose mounts only the secrets the service lists.
      value = (service.secrets ?? []).includes(secret) ? path.join(secretsDir, secret) : path.join(scratch, 'not-mounted', secret);
    }
    if (value.startsWith('/app/')) value = path.join(projectRoot, value.slice('/app/'.length));
    value = volumes[value] ?? value;
    if (/(^|_)PORT$/.test(key)) value = String(await freePort());
    if (/(^|_)HOST$/.test(key) && value === '0.0.0.0') value = '127.0.0.1';
    result[key] = value;
  }
  result.TEMPORAL_TASK_QUEUE = `ppks-compose-${randomUUID()}`;
  return result;
}

const running: NodeProcess[] = [];

/** The service's compose command, as a process of this checkout (the image's WORKDIR). */
function start(name: string, environment: Record<string, string>): NodeProcess {
  const [command, ...args] = services[name]!.command!;
  expect(command).toBe('node');
  const proc = startNode(args, environment);
  running.push(proc);
  return proc;
}

async function stop(proc: NodeProcess): Promise<number | null> {
  if (proc.child.exitCode === null) proc.child.kill('SIGTERM');
  return proc.exited;
}

function exec(command: string, args: string[], environment: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: projectRoot, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

const dropAll = () =>
  onServer(database.toString(), async (admin) => {
    for (const db of [postgresqlEnv.PPKS_DB, postgresqlEnv.TEMPORAL_DB, postgresqlEnv.TEMPORAL_VISIBILITY_DB]) {
      await admin.query(`DROP DATABASE IF EXISTS ${PREFIX}${db} WITH (FORCE)`);
    }
    for (const user of [postgresqlEnv.PPKS_RUNTIME_USER, postgresqlEnv.PPKS_OWNER_USER, postgresqlEnv.TEMPORAL_DB_USER]) {
      await admin.query(`DROP ROLE IF EXISTS ${PREFIX}${user}`);
    }
  });

beforeAll(async () => {
  // The image's build step, on this checkout.
  await exec('npm', ['run', 'build'], process.env as Record<string, string>);
  await exec('bash', [path.join(projectRoot, 'deploy', 'create-secrets.sh'), secretsDir], { PATH: process.env.PATH! });
  await dropAll();
  // What the postgres image runs on an empty data directory, as its superuser, on this server.
  const initEnv = await onThisMachine('postgresql', postgresqlEnv);
  for (const [from, to] of names) {
    for (const [key, value] of Object.entries(initEnv)) if (value === from) initEnv[key] = to;
  }
  await exec('bash', [path.join(projectRoot, 'deploy', 'postgres', 'init-roles.sh')], {
    ...initEnv,
    PGHOST: database.hostname,
    PGPORT: database.port || '5432',
  });
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map(stop));
  await dropAll();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the Compose services, as processes with their compose environment', () => {
  it('the API migrates as the owner, serves as the runtime user, and passes its healthcheck', async () => {
    const environment = await onThisMachine('api', containerEnvironment(services.api!, requiredComposeVariables));
    expect(environment.NODE_ENV).toBe('production');
    const api = start('api', environment);
    await eventually(async () => {
      if (api.child.exitCode !== null) throw new Error(`the API exited ${api.child.exitCode}:\n${api.output()}`);
      expect((await fetch(`http://127.0.0.1:${environment.PORT}/healthz`)).status).toBe(200);
    }, 45_000);
    // The service's compose healthcheck, run as Docker would, inside the "container".
    const [kind, ...healthcheck] = services.api!.healthcheck!.test!;
    expect([kind, healthcheck[0]]).toEqual(['CMD', 'node']);
    await exec(process.execPath, healthcheck.slice(1), environment);
    // Ready (PostgreSQL and Temporal answer), connected as the runtime user, a member of ppks_runtime; not as the owner.
    expect((await fetch(`http://127.0.0.1:${environment.PORT}/readyz`)).status).toBe(200);
    // The console's pages came with the compiled code; the Temporal UI gateway listens, for signed-in supervisors only.
    expect(await (await fetch(`http://127.0.0.1:${environment.PORT}/`)).text()).toContain('<html lang="id">');
    const gateway = await fetch(`http://127.0.0.1:${environment.TEMPORAL_UI_GATEWAY_PORT}/api/v1/namespaces`, { redirect: 'manual' });
    expect(gateway.status).toBe(401);
    const users = await onServer(database.toString(), async (admin) => {
      const { rows } = await admin.query('SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = $1', [
        PREFIX + postgresqlEnv.PPKS_DB,
      ]);
      return rows.map((row: { usename: string }) => row.usename);
    });
    expect(users).toEqual([PREFIX + postgresqlEnv.PPKS_RUNTIME_USER]);
    expect(await stop(api)).toBe(0);
  }, 60_000);

  it('the worker loads the prebuilt workflow bundle, polls, and passes its healthcheck', async () => {
    const environment = await onThisMachine('worker', containerEnvironment(services.worker!, requiredComposeVariables));
    expect(existsSync(environment.WORKFLOW_BUNDLE_PATH!)).toBe(true);
    const worker = start('worker', environment);
    await eventually(async () => {
      if (worker.child.exitCode !== null) throw new Error(`the worker exited ${worker.child.exitCode}:\n${worker.output()}`);
      expect(worker.output()).toContain('"msg":"worker polling"');
    }, 45_000);
    // Its compose healthcheck, run as Docker would: the worker's health endpoint answers 200 while it polls.
    const [kind, ...healthcheck] = services.worker!.healthcheck!.test!;
    expect([kind, healthcheck[0]]).toEqual(['CMD', 'node']);
    await exec(process.execPath, healthcheck.slice(1), environment);
    expect(await stop(worker)).toBe(0);
    // And fails once the worker is gone.
    await expect(exec(process.execPath, healthcheck.slice(1), environment)).rejects.toThrow();
  }, 60_000);

  for (const name of ['api', 'worker']) {
    it(`${name} refuses to start without any one of its secrets, naming it`, async () => {
      const service = services[name]!;
      // Compose itself refuses a variable the file requires (${VAR:?…}) and the host lacks.
      for (const variable of Object.keys(requiredComposeVariables)) {
        if (!JSON.stringify(service.environment).includes(`\${${variable}`)) continue;
        expect(() => containerEnvironment(service, { ...requiredComposeVariables, [variable]: '' })).toThrow(variable);
      }
      const secrets = Object.keys(containerEnvironment(service, requiredComposeVariables))
        .filter((key) => key.endsWith('_FILE'))
        .map((key) => key.slice(0, -'_FILE'.length))
        .filter((variable) => !passwordVariables.has(variable));
      expect(secrets.length).toBeGreaterThanOrEqual(2);
      await Promise.all(
        secrets.map(async (variable) => {
          // Fresh ports for each: the processes run side by side.
          const environment = await onThisMachine(name, containerEnvironment(service, requiredComposeVariables));
          delete environment[`${variable}_FILE`];
          const proc = start(name, environment);
          const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 40_000).unref());
          const code = await Promise.race([proc.exited, timeout]);
          expect(code, `${name} without ${variable}_FILE:\n${proc.output()}`).not.toBe('timeout');
          expect(code, `${name} without ${variable}_FILE`).not.toBe(0);
          expect(proc.output(), `${name} without ${variable}_FILE`).toContain(`${variable} is not set`);
        }),
      );
    }, 60_000);
  }
});
