/**
 * `npm start`: everything needed to use the service locally, in one command —
 * a Temporal dev server (unless TEMPORAL_ADDRESS names one), the database, the worker and the API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Connection } from '@temporalio/client';
import { config, projectRoot } from '../config.js';
import { loadAuditSigningKey } from '../audit/signing-key.js';
import { prepareDatabase } from '../db/prepare.js';
import { loadPayloadKeyring } from '../encryption/keys.js';
import { temporalConnectionOptions } from '../temporal-connection.js';
import { metricsUrl } from '../observability/metrics-server.js';
import { searchAttributeRegistrations } from '../workflows/search-attributes.js';
import { ensureConsoleBuilt } from './console-build.js';
import { ensureDevAgencies } from './dev-agencies.js';
import { ensureDevUsers } from './dev-users.js';
import { isServerUp, startDevServer, type DevServer } from './dev-server.js';

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
const STOP_GRACE_MS = 10_000;

let devServer: DevServer | null = null;
const children: { name: string; child: ChildProcess; exited: Promise<void> }[] = [];
let shuttingDown = false;

process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

try {
  await main();
} catch (err) {
  await shutdown(1, err instanceof Error ? err.message : String(err));
}

async function main(): Promise<void> {
  // Refuses to start without a key in production; locally, creates the dev key before the worker and the API read it.
  loadPayloadKeyring();
  loadAuditSigningKey();
  let address = config.temporalAddress;
  let ui: string;
  /** The API's gateway to the dev server's UI; for another server's, TEMPORAL_UI_URL as the environment gives it. */
  let gateway: { TEMPORAL_UI_URL?: string } = {};
  if (config.temporalAddressGiven) {
    ui = `the Web UI of the Temporal server at ${address}`;
    await warnAboutMissingSearchAttributes().catch((err: unknown) =>
      console.warn(`Could not list the search attributes on ${address} (${err instanceof Error ? err.message : String(err)}).`),
    );
  } else if (await isServerUp(address)) {
    console.log(`A Temporal server already answers on ${address}; using it instead of starting one.`);
    await warnAboutMissingSearchAttributes();
    ui = `the Web UI of that server (a dev server's is http://localhost:${config.temporalUiPort})`;
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    const [host, port] = splitAddress(address);
    const logFile = path.join(config.dataDir, 'temporal.log');
    console.log(`Starting the Temporal dev server on ${address} (log: ${shortPath(logFile)}) ...`);
    devServer = await startDevServer({
      ip: host,
      port,
      uiPort: config.temporalUiPort,
      dbFile: path.join(config.dataDir, 'temporal.sqlite'),
      logFile,
      namespaces: [config.temporalNamespace],
      // Shown by the API's gateway, which serves /codec on the same origin: the UI decodes with the
      // signed-in supervisor's cookie (api/temporal-ui.ts).
      uiCodecEndpoint: '/codec',
    });
    if (shuttingDown) return;
    address = devServer.address;
    ui = `${config.temporalUiPublicUrl} (supervisors, after signing in)`;
    gateway = { TEMPORAL_UI_URL: `http://${host}:${config.temporalUiPort}` };
  }

  await prepareDatabase(); // as DATABASE_OWNER_URL
  const keysFile = await ensureDevAgencies();
  if (keysFile) console.log(`Dev agency keys: ${keysFile}`);
  const usersFile = await ensureDevUsers(keysFile);
  if (usersFile) console.log(`Dev people (email and password): ${usersFile}`);
  // The staff console the API serves at `/`, rebuilt when its sources changed.
  await ensureConsoleBuilt();
  if (shuttingDown) return;

  const env = { ...process.env, TEMPORAL_ADDRESS: address, ...gateway };
  startChild('worker', path.join('worker', 'main.ts'), env);
  startChild('api', path.join('api', 'main.ts'), env);

  const api = `http://localhost:${config.port}`;
  if (!(await waitForHttp(`http://127.0.0.1:${config.port}/healthz`))) return;
  console.log(
    [
      '',
      `  API:          ${api}`,
      `  API docs:     ${api}/docs`,
      `  Temporal UI:  ${ui}`,
      `  Console:      ${api}/ (sign in as a person of .data/dev-users.json)`,
      `  Metrics:      ${metricsUrl(config.apiMetricsHost, config.apiMetricsPort)} (API)`,
      `                ${metricsUrl(config.workerMetricsHost, config.workerMetricsPort)} (worker, with the Temporal SDK's)`,
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

function startChild(name: string, entry: string, env: NodeJS.ProcessEnv): void {
  // Own process group, like the dev server: Ctrl-C reaches only us, so we control the order.
  const child = spawn(tsx, [entry], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  prefixLines(child.stdout!, process.stdout, `[${name}] `);
  prefixLines(child.stderr!, process.stderr, `[${name}] `);
  const exited = new Promise<void>((resolve) =>
    child.on('close', (code, signal) => {
      resolve();
      if (!shuttingDown) void shutdown(1, `[${name}] exited unexpectedly (${signal ?? `code ${code}`}); stopping everything.`);
    }),
  );
  child.on('error', (err) => {
    if (!shuttingDown) void shutdown(1, `[${name}] could not start: ${err.message}`);
  });
  process.on('exit', () => killGroup(child, 'SIGKILL'));
  children.push({ name, child, exited });
}

async function shutdown(code: number, reason?: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  if (reason) console.error(reason);
  // The worker first, while its server is still there to finish the current tasks with.
  await Promise.all(
    children.map(async ({ child, exited }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // tsx passes the signal on to the node process running the entry point.
      child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }),
  );
  await devServer?.stop().catch((err: unknown) => console.error(`Stopping the Temporal dev server: ${String(err)}`));
  process.exit(code);
}

let signalledAt = 0;
function onSignal(signal: NodeJS.Signals): void {
  // tsx relays the terminal's Ctrl-C to us, so one keypress can arrive twice in quick succession.
  if (signalledAt && Date.now() - signalledAt < 1000) return;
  if (signalledAt) {
    // A real second Ctrl-C: no more patience. The exit handlers SIGKILL whatever is left.
    console.error(`${signal} again: killing everything.`);
    process.exit(130);
  }
  signalledAt = Date.now();
  console.log(`\n${signal}: stopping the API, the worker${devServer ? ' and the Temporal dev server' : ''} ...`);
  void shutdown(0);
}

async function waitForHttp(url: string): Promise<boolean> {
  const started = Date.now();
  let warned = false;
  while (!shuttingDown) {
    try {
      // Any answer will do: the API is listening.
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      if (!warned && Date.now() - started > 60_000) {
        console.error(`The API has not answered on ${url} for 60 s; still waiting.`);
        warned = true;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return false;
}

/**
 * A server we did not start may lack our search attributes; workflows setting them would then fail.
 * Connected as the worker and the API will be (TLS, API key), so this also tries those settings.
 */
async function warnAboutMissingSearchAttributes(): Promise<void> {
  const address = config.temporalAddress;
  const connection = await Connection.connect({ ...temporalConnectionOptions(), connectTimeout: 10_000 });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({
      namespace: config.temporalNamespace,
    });
    const missing = Object.entries(searchAttributeRegistrations).filter(([name]) => !(name in (customAttributes ?? {})));
    if (missing.length > 0) {
      console.warn(
        `That server lacks search attributes ${missing.map(([n]) => n).join(', ')}. Register them with:\n` +
          `  temporal operator search-attribute create --address ${address} --namespace ${config.temporalNamespace} ` +
          missing.map(([n, t]) => `--name ${n} --type ${t}`).join(' '),
      );
    }
  } finally {
    await connection.close();
  }
}

function shortPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  const port = Number(address.slice(i + 1));
  if (i < 0 || !Number.isInteger(port)) throw new Error(`TEMPORAL_ADDRESS-style address without a port: ${address}`);
  return [address.slice(0, i), port];
}

function prefixLines(from: NodeJS.ReadableStream, to: NodeJS.WritableStream, prefix: string): void {
  readline.createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(prefix + line + '\n'));
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
