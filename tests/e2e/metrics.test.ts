/**
 * Observability as an operator meets it: the worker and the API run as their own processes
 * (worker/main.ts, api/main.ts) against the suite's dev server, with their Prometheus endpoints,
 * the worker's health endpoint and an OTLP receiver on free loopback ports. A step posted moves
 * the step counters, an SLA that breaches moves the breach counter, a failing webhook the
 * delivery counters; the worker's endpoint has the Temporal SDK's metrics; one trace runs from
 * the HTTP request through the Update to an activity; the worker logs JSON lines naming the
 * workflow, run and attempt of an activity. The person's name reaches none of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { addAgency } from '../../api/agencies.js';
import { projectRoot } from '../../config.js';
import { dropDatabase } from '../../db/admin.js';
import { createPool, type Pool } from '../../db/pool.js';
import { prepareDatabase } from '../../db/prepare.js';
import { startWorkerHealthServer } from '../../observability/worker-health.js';
import { freePort } from '../../scripts/free-port.js';
import { ownNamespaces } from '../support/own-namespaces.js';
import { openCase } from '../support/cases.js';
import { metricsIn } from '../support/promql.js';
import { type AgencyClient, agencyClient, eventually, quietTemporalRuntime } from '../support/service.js';
import { receiver } from '../support/webhook-receivers.js';

/** Stands for personal data: it must not reach a log line, a metric or a span. */
const PERSON_NAME = 'Suminah Wirodikromo';
/** A database of its own (the suite's name + `_metrics`): the SLA policy it shortens must not reach other files' cases. */
const databaseUrl = (() => {
  const url = new URL(inject('databaseUrl'));
  url.pathname = `${url.pathname}_metrics`;
  return url.toString();
})();
const taskQueue = `ppks-metrics-${randomUUID()}`;
const temporalAddress = inject('temporalAddress');

interface RunningProcess {
  child: ChildProcess;
  /** stdout, line by line. */
  lines: string[];
  output: () => string;
  exited: Promise<void>;
}

const processes: RunningProcess[] = [];
const spans: OtlpSpan[] = [];
const otlpBodies: string[] = [];
const webhooks = receiver();
let otlp: Server;
let pool: Pool;
let ports: Record<'api' | 'apiMetrics' | 'workerMetrics' | 'workerHealth' | 'otlp', number>;
let worker: RunningProcess;
let apiUrl: string;
let satpol: AgencyClient;
let dukcapil: AgencyClient;
let supervisor: AgencyClient;

beforeAll(async () => {
  await dropDatabase(databaseUrl);
  await prepareDatabase(databaseUrl);
  pool = createPool(databaseUrl, 2);
  ports = {
    api: await freePort(),
    apiMetrics: await freePort(),
    workerMetrics: await freePort(),
    workerHealth: await freePort(),
    otlp: await freePort(),
  };
  otlp = await otlpReceiver(ports.otlp);
  const receiverUrl = await webhooks.listening;
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: ownNamespaces.metrics,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PPKS_PAYLOAD_KEYS: `metrics:${randomBytes(32).toString('base64')}`,
    PPKS_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ppks-metrics-')),
    PORT: String(ports.api),
    API_METRICS_PORT: String(ports.apiMetrics),
    WORKER_METRICS_PORT: String(ports.workerMetrics),
    WORKER_HEALTH_PORT: String(ports.workerHealth),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.otlp}`,
    // Spans leave in batches every 200 ms, not every 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '200',
    LOG_LEVEL: 'info',
    WEBHOOK_ALLOWED_DESTINATIONS: '127.0.0.1',
    WEBHOOK_RETRY_INITIAL_INTERVAL: 'PT1S',
    WEBHOOK_MAX_ATTEMPTS: '2',
  };
  worker = start('worker/main.ts', env);
  const api = start('api/main.ts', env);
  apiUrl = `http://127.0.0.1:${ports.api}`;
  await Promise.all([
    eventually(async () => expect(worker.output()).toContain('worker polling'), 90_000),
    eventually(async () => expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200), 90_000),
  ]).catch((error: unknown) => {
    throw new Error(`${String(error)}\nworker:\n${worker.output()}\napi:\n${api.output()}`);
  });
  const key = async (name: string, role: string, scope = {}) => (await addAgency(pool, { name, role, ...scope })).apiKey;
  satpol = agencyClient(apiUrl, await key('Metrics Satpol PP', 'satpol_pp', { regionCode: '35.78' }));
  dukcapil = agencyClient(apiUrl, await key('Metrics Dukcapil', 'dukcapil'));
  supervisor = agencyClient(apiUrl, await key('Metrics supervisor', 'supervisor'));
  expect((await supervisor.post('/v1/webhooks', { url: `${receiverUrl}/always-fails`, secret: 'metrics-receiver-secret' })).status).toBe(
    201,
  );
}, 180_000);

afterAll(async () => {
  await Promise.all(processes.map(stop));
  // The worker made its audit-export Schedule on the suite's server: not left running.
  const connection = await Connection.connect({ address: temporalAddress });
  await new Client({ connection, namespace: ownNamespaces.metrics }).schedule
    .getHandle(`audit-export-${taskQueue}`)
    .delete()
    .catch(() => undefined);
  await connection.close();
  otlp?.close();
  webhooks.server.close();
  await pool?.end();
});

describe('the API and worker processes', () => {
  let caseNumber: string;

  it('serve Prometheus metrics on their own ports: the SDK on the worker, the service gauges on the API', async () => {
    const workerMetrics = await scrape(ports.workerMetrics);
    expect(workerMetrics.families).toContain('temporal_worker_task_slots_available');
    expect(worker.output()).toContain(`http://127.0.0.1:${ports.workerMetrics}/metrics`);
    const apiMetrics = await scrape(ports.apiMetrics);
    expect(apiMetrics.families).toEqual(expect.arrayContaining(['ppks_http_request_duration_seconds', 'process_cpu_seconds_total']));
    // Every UPT of the seed with beds; every open stage, at 0 when no case is in it.
    expect(apiMetrics.value('ppks_beds_free', { upt: 'balai_prs_pmks_sidoarjo' })).toBeGreaterThan(0);
    expect(apiMetrics.value('ppks_cases_open', { stage: 'placement' })).toBe(0);
    expect(apiMetrics.value('ppks_steps_accepted_total', { step: 'recordIdentification', role: 'dukcapil' })).toBe(0);
  });

  it('answer the worker health check while the worker polls', async () => {
    const health = await fetch(`http://127.0.0.1:${ports.workerHealth}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', state: 'RUNNING', temporal: true });
    expect((await fetch(`http://127.0.0.1:${ports.workerHealth}/metrics`)).status).toBe(404);
  });

  it('count steps accepted and refused, by step and role, and time requests by route template', async () => {
    expect((await supervisor.put('/v1/sla-policies/identification', { duration: 'PT2S', calendar: 'continuous' })).status).toBe(200);
    caseNumber = (await openCase(satpol, { person: { sex: 'F', name: PERSON_NAME } })).caseNumber;
    // Not Satpol PP's step: refused.
    expect((await satpol.post(`/v1/cases/${caseNumber}/identification`, { outcome: 'not_matched' })).status).toBe(403);
    expect((await dukcapil.post(`/v1/cases/${caseNumber}/identification`, { outcome: 'maybe' })).status).toBe(400);

    const metrics = await scrape(ports.apiMetrics);
    expect(metrics.value('ppks_steps_accepted_total', { step: 'intake', role: 'satpol_pp' })).toBe(1);
    expect(metrics.value('ppks_steps_refused_total', { step: 'recordIdentification', role: 'satpol_pp', status: '403' })).toBe(1);
    expect(metrics.value('ppks_steps_refused_total', { step: 'recordIdentification', role: 'dukcapil', status: '400' })).toBe(1);
    // The case index is written by the workflow, shortly after the intake's answer.
    await eventually(async () => expect((await scrape(ports.apiMetrics)).value('ppks_cases_open', { stage: 'identification' })).toBe(1));
    const route = '/v1/cases/:caseNumber/identification';
    expect(metrics.value('ppks_http_request_duration_seconds_count', { method: 'POST', route, status: '403' })).toBe(1);
    expect(metrics.value('ppks_http_request_duration_seconds_count', { method: 'POST', route: '/v1/cases', status: '201' })).toBe(1);
    expect(metrics.text).not.toContain(caseNumber);
  });

  it('count the SLA breach in the worker, and the webhook deliveries of its alert that fail', async () => {
    const breached = await eventually(async () => {
      const metrics = await scrape(ports.workerMetrics);
      expect(metrics.value('ppks_sla_breaches_total', { stage: 'identification', level: '1' })).toBe(1);
      return metrics;
    }, 30_000);
    expect(breached.value('ppks_alerts_raised_total', { kind: 'sla_breach' })).toBe(1);
    expect((await scrape(ports.apiMetrics)).value('ppks_alerts_open', { kind: 'sla_breach' })).toBe(1);
    // Two attempts (WEBHOOK_MAX_ATTEMPTS), both answered 500: the delivery gives up.
    const gaveUp = await eventually(async () => {
      const metrics = await scrape(ports.workerMetrics);
      expect(metrics.value('ppks_webhook_deliveries_failed_total', {})).toBe(1);
      return metrics;
    }, 30_000);
    expect(gaveUp.value('ppks_webhook_delivery_attempts_total', { outcome: 'failed' })).toBe(2);
    expect(webhooks.received.filter((r) => r.path === '/always-fails')).toHaveLength(2);
  });

  it('count the step accepted; between them the endpoints have every metric the alert rules and the dashboard read', async () => {
    expect((await dukcapil.post(`/v1/cases/${caseNumber}/identification`, { outcome: 'not_matched' })).status).toBe(200);
    const api = await scrape(ports.apiMetrics);
    expect(api.value('ppks_steps_accepted_total', { step: 'recordIdentification', role: 'dukcapil' })).toBe(1);
    expect(
      api.value('ppks_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/cases/:caseNumber/identification',
        status: '200',
      }),
    ).toBe(1);
    const workerMetrics = await scrape(ports.workerMetrics);
    const families = new Set([...api.families, ...workerMetrics.families]);
    const rules = parse(readFileSync(path.join(projectRoot, 'deploy/prometheus/alerts.yml'), 'utf8')).groups.flatMap(
      (group: { rules: { expr: string }[] }) => group.rules.map((rule) => rule.expr),
    );
    expect(rules.flatMap(metricsIn).filter((metric: string) => !families.has(metric))).toEqual([]);
    const dashboard = readFileSync(path.join(projectRoot, 'deploy/grafana/dashboards/ppks.json'), 'utf8');
    // The SDK's failure counters appear at the first failure, which this run has none of.
    const onFailure = [
      'temporal_activity_execution_failed_total',
      'temporal_workflow_task_execution_failed_total',
      'temporal_workflow_failed_total',
    ];
    expect(metricsIn(dashboard).filter((metric) => !families.has(metric))).toEqual(onFailure);
    for (const metrics of [api, workerMetrics]) expect(metrics.text).not.toContain(PERSON_NAME);
  });

  it('trace the HTTP request through the Update to the activities it runs', async () => {
    const chain = await eventually(async () => {
      const request = spans.find((span) => span.name === 'POST /v1/cases/:caseNumber/identification' && span.status === 200);
      expect(request).toBeDefined();
      // From an activity run up to the root of its trace.
      const activity = spans.find((span) => span.traceId === request!.traceId && span.name.startsWith('RunActivity:'));
      expect(activity).toBeDefined();
      const ancestors: OtlpSpan[] = [activity!];
      for (let span = activity; span?.parentSpanId;) {
        span = spans.find((parent) => parent.spanId === span!.parentSpanId);
        if (span) ancestors.push(span);
      }
      expect(ancestors.at(-1)).toBe(request);
      return ancestors;
    }, 15_000);
    expect(chain.map((span) => [span.service, span.name])).toEqual([
      ['ppks-worker', expect.stringMatching(/^RunActivity:/)],
      ['ppks-worker', expect.stringMatching(/^StartActivity:/)],
      ['ppks-worker', 'HandleUpdate:recordIdentification'],
      ['ppks-api', 'StartWorkflowUpdate:recordIdentification'],
      ['ppks-api', 'POST /v1/cases/:caseNumber/identification'],
    ]);
    expect(otlpBodies.join('\n')).not.toContain(PERSON_NAME);
  });

  it('log JSON lines, the SDK and the activities included, naming the workflow, run and attempt of an activity', () => {
    const lines = worker.lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((line) => line.component === 'temporal')).toBe(true);
    const raised = lines.find((line) => line.msg === 'alert raised');
    expect(raised).toMatchObject({ workflowId: `case-${caseNumber}`, runId: expect.any(String), activityType: 'raiseAlert', attempt: 1 });
    expect(worker.output()).not.toContain(PERSON_NAME);
  });

  it('answer the health check 503, or no longer, once the worker shuts down', async () => {
    worker.child.kill('SIGTERM');
    await eventually(async () => {
      const answer = await fetch(`http://127.0.0.1:${ports.workerHealth}/healthz`).then(
        (response) => response.status,
        () => 'closed',
      );
      expect([503, 'closed']).toContain(answer);
    }, 15_000);
    await worker.exited;
    expect(worker.child.exitCode).toBe(0);
  });
});

describe('the worker health endpoint', () => {
  it('is 503 before the worker runs, 200 while it polls, 503 after it stopped', async () => {
    quietTemporalRuntime();
    const connection = await NativeConnection.connect({ address: temporalAddress });
    const idle = await Worker.create({ connection, taskQueue: `ppks-health-${randomUUID()}`, activities: { noop: async () => {} } });
    const port = await freePort();
    const server = await startWorkerHealthServer(idle, connection, '127.0.0.1', port);
    const status = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: response.status, body: await response.json() };
    };
    try {
      expect(await status()).toEqual({ status: 503, body: { status: 'unavailable', state: 'INITIALIZED', temporal: null } });
      const running = idle.run();
      await eventually(async () => expect((await status()).status).toBe(200));
      idle.shutdown();
      await running;
      expect(await status()).toEqual({ status: 503, body: { status: 'unavailable', state: 'STOPPED', temporal: null } });
    } finally {
      server.close();
      await connection.close();
    }
  });
});

function start(entry: string, env: NodeJS.ProcessEnv): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let all = '';
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    all += `${line}\n`;
  });
  child.stderr!.on('data', (chunk) => (all += chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const running = { child, lines, output: () => all, exited };
  processes.push(running);
  return running;
}

async function stop({ child, exited }: RunningProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(forced);
}

interface Scrape {
  text: string;
  /** The metric families (`# TYPE` lines). */
  families: string[];
  /** The sum of the samples of `name` that have these labels (and maybe others), or undefined when there is none. */
  value(name: string, labels: Record<string, string>): number | undefined;
}

async function scrape(port: number): Promise<Scrape> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  const samples = text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line)!;
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1]!, labels: labels as Record<string, string>, value: Number(match[3]) };
    });
  return {
    text,
    families: [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!),
    value(name, labels) {
      const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value));
      return found.length ? found.reduce((sum, s) => sum + s.value, 0) : undefined;
    },
  };
}

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  service: string;
  status: number | undefined;
}

/** Takes OTLP/HTTP JSON trace exports, as a collector on 4318 would, and keeps the spans. */
async function otlpReceiver(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      otlpBodies.push(body);
      type Attribute = { key: string; value: { stringValue?: string; intValue?: number | string } };
      const exported = JSON.parse(body) as {
        resourceSpans: {
          resource: { attributes: Attribute[] };
          scopeSpans: { spans: { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes?: Attribute[] }[] }[];
        }[];
      };
      for (const { resource, scopeSpans } of exported.resourceSpans) {
        const service = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const span of scopeSpans.flatMap((scope) => scope.spans)) {
          const status = span.attributes?.find((a) => a.key === 'http.response.status_code')?.value.intValue;
          spans.push({
            name: span.name,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            service,
            status: status === undefined ? undefined : Number(status),
          });
        }
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}
