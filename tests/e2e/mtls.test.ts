/**
 * The Temporal connection of a secured cluster or of Temporal Cloud, for real: the worker and the
 * API run as their own processes and reach the suite's dev server only through a TLS proxy that
 * demands a client certificate of its CA (made here). The worker is configured by a temporal.toml
 * profile, the API by TEMPORAL_* variables; a case opened through the API and answered by the
 * worker proves both got through. Connections without a certificate, with one of another CA or
 * without TLS are refused; an API key arrives as a bearer token over TLS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addAgency } from '../../api/agencies.js';
import { projectRoot } from '../../config.js';
import { dropDatabase } from '../../db/admin.js';
import { createPool, type Pool } from '../../db/pool.js';
import { prepareDatabase } from '../../db/prepare.js';
import { freePort } from '../../scripts/free-port.js';
import { temporalConnectionOptions } from '../../temporal-connection.js';
import { temporalSettings } from '../../temporal-settings.js';
import { auditExportScheduleId } from '../../worker/audit-export-schedule.js';
import { ownNamespaces } from '../support/own-namespaces.js';
import { openCase } from '../support/cases.js';
import { certificateAuthority, clientCertificate, serverCertificate, type KeyPair } from '../support/certificates.js';
import { agencyClient } from '../support/service.js';
import { startHeaderRecorder, startMutualTlsProxy, type MutualTlsProxy } from '../support/tls-proxy.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ppks-mtls-'));
const databaseUrl = Object.assign(new URL(inject('databaseUrl')), { pathname: '/ppks_connect_mtls' }).toString();
const taskQueue = `ppks-mtls-${randomUUID()}`;
let ca: KeyPair;
let server: KeyPair;
let stranger: KeyPair;
let proxy: MutualTlsProxy;
let pool: Pool;
let apiUrl: string;
/** The temporal.toml with the profile `secured`, and the environment both processes share. */
let configFile: string;
let common: Record<string, string>;
const processes: ChildProcess[] = [];

/**
 * The service's environment without the developer's own Temporal settings (variables or ~/.config/temporalio),
 * its metrics and health endpoints on free ports rather than the defaults.
 */
async function serviceEnv(extra: Record<string, string>): Promise<NodeJS.ProcessEnv> {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('TEMPORAL_'));
  const ports = {
    API_METRICS_PORT: String(await freePort()),
    WORKER_METRICS_PORT: String(await freePort()),
    WORKER_HEALTH_PORT: String(await freePort()),
  };
  return { ...Object.fromEntries(inherited), XDG_CONFIG_HOME: dir, ...ports, ...extra };
}

/** Options as the API, the worker and the scripts build them, from these variables alone. */
const optionsFrom = (variables: Record<string, string>) =>
  temporalConnectionOptions(temporalSettings({ XDG_CONFIG_HOME: dir, ...variables }));

/** Starts `node --import tsx <entry>`; resolves with its output so far once a line matches `ready`, rejects if it exits first. */
async function startProcess(entry: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; output: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  processes.push(child);
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const onLine = (line: string) => {
      output.push(line);
      if (ready.test(line)) resolve();
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before it was ready:\n${output.join('\n')}`)));
  });
  return { child, output };
}

beforeAll(async () => {
  ca = await certificateAuthority(dir, 'ppks-test-ca');
  server = await serverCertificate(dir, ca);
  const workerCert = await clientCertificate(dir, ca, 'ppks-worker');
  const apiCert = await clientCertificate(dir, ca, 'ppks-api');
  stranger = await clientCertificate(dir, await certificateAuthority(dir, 'another-ca'), 'stranger');
  proxy = await startMutualTlsProxy({ cert: server.cert, key: server.key, clientCa: ca.cert, target: inject('temporalAddress') });

  await dropDatabase(databaseUrl);
  await prepareDatabase(databaseUrl);
  pool = createPool(databaseUrl, 2);

  configFile = path.join(dir, 'temporal.toml');
  common = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PPKS_PAYLOAD_KEYS: `mtls:${randomBytes(32).toString('base64')}`,
    PPKS_DATA_DIR: dir,
    LOG_LEVEL: 'info',
  };
  writeFileSync(
    configFile,
    [
      '[profile.secured]',
      `address = "${proxy.address}"`,
      `namespace = "${ownNamespaces.mtls}"`,
      '[profile.secured.tls]',
      `client_cert_path = "${workerCert.certPath}"`,
      `client_key_path = "${workerCert.keyPath}"`,
      `server_ca_cert_path = "${ca.certPath}"`,
    ].join('\n'),
  );
  const port = await freePort();
  await Promise.all([
    startProcess(
      'worker/main.ts',
      await serviceEnv({ ...common, TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_PROFILE: 'secured' }),
      /worker polling/,
    ),
    startProcess(
      'api/main.ts',
      await serviceEnv({
        ...common,
        PORT: String(port),
        TEMPORAL_ADDRESS: proxy.address,
        TEMPORAL_NAMESPACE: ownNamespaces.mtls,
        TEMPORAL_TLS_CLIENT_CERT_PATH: apiCert.certPath,
        TEMPORAL_TLS_CLIENT_KEY_PATH: apiCert.keyPath,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca.certPath,
      }),
      /API listening/,
    ),
  ]);
  apiUrl = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await Promise.all(
    processes
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        return exited;
      }),
  );
  // The worker's audit export Schedule, on the dev server the next test file shares.
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  await new Client({ connection, namespace: ownNamespaces.mtls }).schedule
    .getHandle(auditExportScheduleId(taskQueue))
    .delete()
    .catch(() => undefined);
  await connection.close();
  await proxy?.close();
  await pool?.end();
});

describe('through a proxy that demands a client certificate of its CA', () => {
  it('the worker (temporal.toml profile) and the API (TEMPORAL_* variables) open and answer a case', async () => {
    const satpol = agencyClient(
      apiUrl,
      (await addAgency(pool, { name: 'Satpol PP Surabaya', role: 'satpol_pp', regionCode: '35.78' })).apiKey,
    );
    // The API sends the intake as an Update; only the worker, through its own connection, answers it.
    const opened = await openCase(satpol);
    expect(opened.stage).toBe('identification');
    const read = await satpol.get(`/v1/cases/${opened.caseNumber}`);
    expect(read.status).toBe(200);
    expect(new Set(proxy.accepted)).toEqual(new Set(['ppks-worker', 'ppks-api']));
  });

  it('refuses a client without a certificate, with one of another CA, or without TLS', async () => {
    const trusted = { TEMPORAL_ADDRESS: proxy.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca.certPath };
    const refusedBefore = proxy.refused;
    const acceptedBefore = proxy.accepted.length;
    for (const variables of [
      trusted,
      { ...trusted, TEMPORAL_TLS_CLIENT_CERT_PATH: stranger.certPath, TEMPORAL_TLS_CLIENT_KEY_PATH: stranger.keyPath },
      { TEMPORAL_ADDRESS: proxy.address },
    ]) {
      const options = optionsFrom(variables);
      await expect(Connection.connect({ ...options, connectTimeout: 2000 }), JSON.stringify(variables)).rejects.toThrow();
      await expect(NativeConnection.connect(options), JSON.stringify(variables)).rejects.toThrow();
    }
    expect(proxy.refused).toBeGreaterThanOrEqual(refusedBefore + 6);
    expect(proxy.accepted).toHaveLength(acceptedBefore);
  });

  it('`npm start` takes the server from the profile: starts no dev server, checks the search attributes through TLS', async () => {
    const port = await freePort();
    const env = await serviceEnv({
      ...common,
      PPKS_DATA_DIR: path.join(dir, 'npm-start'),
      PORT: String(port),
      TEMPORAL_CONFIG_FILE: configFile,
      TEMPORAL_PROFILE: 'secured',
    });
    const { child, output } = await startProcess('scripts/start.ts', env, /Temporal UI:/);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const printed = output.join('\n');
    expect(printed).toContain(`Temporal UI:  the Web UI of the Temporal server at ${proxy.address}`);
    // The dev server has every search attribute: a warning would mean the check failed or was not made through the profile.
    expect(printed).not.toMatch(/dev server|search attribute/i);
  });
});

it('sends TEMPORAL_API_KEY as a bearer token, over TLS, from both kinds of connection', async () => {
  const recorder = await startHeaderRecorder(server);
  try {
    const options = optionsFrom({
      TEMPORAL_ADDRESS: recorder.address,
      TEMPORAL_API_KEY: 'tmprl-test-key',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca.certPath,
    });
    await expect(Connection.connect({ ...options, connectTimeout: 5000 })).rejects.toThrow();
    const fromClient = recorder.requests.length;
    await expect(NativeConnection.connect(options)).rejects.toThrow();
    expect(fromClient).toBeGreaterThan(0);
    expect(recorder.requests.length).toBeGreaterThan(fromClient);
    expect(recorder.requests.map((headers) => headers.authorization)).toEqual(recorder.requests.map(() => 'Bearer tmprl-test-key'));
  } finally {
    await recorder.close();
  }
});
