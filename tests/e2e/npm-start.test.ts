/**
 * `npm start` as a user meets it: everything comes up in one command, Ctrl-C stops it all,
 * and the next start finds the open case where it was, its SLA timer still running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { projectRoot } from '../../config.js';
import { dropDatabase } from '../../db/admin.js';
import { freePort } from '../../scripts/free-port.js';
import { openCase } from '../support/cases.js';
import { agencyClient, eventually } from '../support/service.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'ppks-start-'));
const databaseUrl = Object.assign(new URL(inject('databaseUrl')), { pathname: '/ppks_start_test' }).toString();
let running: ChildProcess | undefined;

afterAll(async () => {
  // Even after a failed assertion: a graceful stop, so that the dev server, worker and API go too.
  if (running && running.exitCode === null) await stop(running);
});

async function start(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = child;
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    expect(output).toContain('Temporal UI:');
  }, 90_000);
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  const forced = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await exited;
  clearTimeout(forced);
  return code;
}

it('comes up in one command, stops on Ctrl-C, and resumes open cases with their SLA timers', async () => {
  await dropDatabase(databaseUrl);
  const [port, temporalPort, uiPort, gatewayPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const [apiMetricsPort, workerMetricsPort, workerHealthPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env,
    PORT: String(port),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    TEMPORAL_UI_GATEWAY_PORT: String(gatewayPort),
    API_METRICS_PORT: String(apiMetricsPort),
    WORKER_METRICS_PORT: String(workerMetricsPort),
    WORKER_HEALTH_PORT: String(workerHealthPort),
    PPKS_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: '',
    LOG_LEVEL: 'warn',
  };
  const api = `http://127.0.0.1:${port}`;

  const first = await start(env);
  expect(first.output()).toContain(`http://localhost:${port}/docs`);
  // Both Prometheus endpoints are printed, and answer.
  for (const metricsPort of [apiMetricsPort, workerMetricsPort]) {
    expect(first.output()).toContain(`http://127.0.0.1:${metricsPort}/metrics`);
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200));
  }
  // The UI, behind the API's gateway, decodes payloads through the gateway's own /codec; the generated dev payload key stays private.
  const uiSettings = await (await fetch(`http://127.0.0.1:${uiPort}/api/v1/settings`)).json();
  expect(uiSettings.Codec.Endpoint).toBe('/codec');
  expect(first.output()).toContain(`Temporal UI:  http://localhost:${gatewayPort}`);
  const gateway = await fetch(`http://127.0.0.1:${gatewayPort}/namespaces/default/workflows`, {
    headers: { accept: 'text/html' },
    redirect: 'manual',
  });
  expect(gateway.status).toBe(303);
  expect(gateway.headers.get('location')).toMatch(new RegExp(`^http://localhost:${port}/\\?next=`));
  expect(first.output()).toContain(`Console:      http://localhost:${port}/`);
  const signInPage = await fetch(`${api}/`);
  expect(await signInPage.text()).toContain('<html lang="id">');
  expect(statSync(path.join(dataDir, 'payload-keys.json')).mode & 0o777).toBe(0o600);
  const keys = JSON.parse(readFileSync(path.join(dataDir, 'dev-api-keys.json'), 'utf8'));
  const supervisor = agencyClient(api, keys.supervisor.apiKey);
  // A dev person per dev agency, who can sign in.
  const usersFile = path.join(dataDir, 'dev-users.json');
  expect(first.output()).toContain(`Dev people (email and password): ${usersFile}`);
  expect(statSync(usersFile).mode & 0o777).toBe(0o600);
  const people = JSON.parse(readFileSync(usersFile, 'utf8'));
  expect(Object.keys(people).sort()).toEqual(Object.keys(keys).sort());
  const signIn = (person: { email: string; password: string }) =>
    fetch(`${api}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: person.email, password: person.password }),
    });
  const signedIn = await signIn(people.supervisor);
  expect(signedIn.status).toBe(201);
  expect(await signedIn.json()).toMatchObject({
    userId: people.supervisor.userId,
    agency: { id: keys.supervisor.agencyId },
    role: 'supervisor',
  });
  expect((await supervisor.put('/v1/sla-policies/identification', { duration: 'PT10S', calendar: 'continuous' })).status).toBe(200);
  // The first case of a stack just started (its worker still warming up): sent again on a "try again", as clients do.
  const opened = await openCase(agencyClient(api, keys.satpol_pp.apiKey), { foundAt: '2026-11-26T20:00:00+07:00' }, 'npm-start-test');
  const n = opened.caseNumber;

  expect(await stop(first.child)).toBe(0);
  await expect(fetch(`${api}/healthz`)).rejects.toThrow();

  const second = await start(env);
  // The same people with the same passwords after a restart.
  expect(JSON.parse(readFileSync(usersFile, 'utf8'))).toEqual(people);
  expect((await signIn(people.dinsos_kabkota_jember)).status).toBe(201);
  const resumed = await supervisor.get(`/v1/cases/${n}`);
  expect(resumed.body).toMatchObject({ stage: 'identification', sla: { dueAt: opened.sla!.dueAt } });
  // The timer set before the restart fires after it.
  const breached = await eventually(async () => {
    const view = await supervisor.get(`/v1/cases/${n}`);
    expect(view.body.escalationLevel).toBe(1);
    return view.body;
  }, 30_000);
  expect(breached.sla.breached).toBe(true);
  expect((await supervisor.get(`/v1/alerts?caseNumber=${n}`)).body.items).toHaveLength(1);
  expect(await stop(second.child)).toBe(0);
}, 180_000);
