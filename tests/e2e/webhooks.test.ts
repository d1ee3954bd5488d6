/**
 * Alert delivery to webhooks against the dev server: a receiver on localhost that fails each
 * delivery twice gets exactly one delivery per alert, signed by Standard Webhooks and by the
 * legacy header; a dead or silent webhook holds up nothing; a disabled one gets nothing more; a
 * destination refused at delivery gets nothing; the secret is stored encrypted and never leaves
 * the database. Loopback is in WEBHOOK_ALLOWED_DESTINATIONS here, as an operator would list a
 * receiver on the same machine (tests/e2e/webhook-destinations.test.ts has the refusals).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActivities, type CaseActivities } from '../../activities/index.js';
import type { AlertRequest } from '../../activities/database/alerts.js';
import { alertDeliveryWorkflowId } from '../../activities/temporal/alert-delivery.js';
import type { DeliveryRetry } from '../../workflows/alert-delivery.js';
import { loadPayloadKeyring } from '../../encryption/keys.js';
import { WebhookSecrets } from '../../encryption/webhook-secrets.js';
import { freePort } from '../../scripts/free-port.js';
import { openCase } from '../support/cases.js';
import { type AgencyClient, eventually, startService, type RunningService } from '../support/service.js';
import { receiver, silentServer } from '../support/webhook-receivers.js';

const logFile = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? '/tmp'}/ppks-webhooks-${process.pid}.log`;
  process.env.LOG_FILE = file;
  process.env.LOG_LEVEL = 'trace';
  // Before config.ts is read: the receivers of this file listen on 127.0.0.1.
  process.env.WEBHOOK_ALLOWED_DESTINATIONS = '127.0.0.0/8, ::1';
  return file;
});

const RETRY: DeliveryRetry = { initialIntervalMs: 200, maximumIntervalMs: 1000, maximumAttempts: 4 };
const SECRET = 'receiver-secret-9f3c1b7e';
const person = { name: 'Sulastri Rahayu', nik: '3578016203850004', description: 'bekas luka di dagu' };
const foundPlace = 'emperan Pasar Keputran';

let service: RunningService;
let supervisor: AgencyClient;
let activities: CaseActivities;
let caseNumber: string;
const target = receiver();
const silent = silentServer();
let receiverUrl: string;
const secrets: string[] = [SECRET];
/** Every answer of the webhook endpoints, to check that none carries a secret. */
const answers: unknown[] = [];
const webhookIds: string[] = [];

async function register(url: string, secret = `secret-${randomUUID()}`): Promise<string> {
  secrets.push(secret);
  const registered = await supervisor.post('/v1/webhooks', { url, secret });
  answers.push(registered.body);
  expect(registered.status).toBe(201);
  webhookIds.push(registered.body.id);
  return registered.body.id;
}

async function disable(id: string): Promise<void> {
  const disabled = await supervisor.raw('DELETE', `/v1/webhooks/${id}`);
  answers.push(disabled.body);
  expect(disabled.status).toBe(204);
}

async function deliveryOf(webhookId: string, alertId: string) {
  const listed = await supervisor.get(`/v1/webhooks/${webhookId}/deliveries`);
  answers.push(listed.body);
  expect(listed.status).toBe(200);
  return listed.body.items.find((item: { alertId: string }) => item.alertId === alertId);
}

const alertRequest = (): AlertRequest => ({
  alertKey: `webhooks-test/${randomUUID()}`,
  kind: 'sla_breach',
  caseNumber,
  stage: 'identification',
  step: 'identification',
  level: 1,
  recipientRole: 'dukcapil',
  regionCode: null,
  uptCode: null,
  dueAt: '2026-11-22T21:15:00+07:00',
});

const requestsFor = (alertId: string, webhookId: string) =>
  target.received.filter((request) => request.headers['x-ppks-delivery'] === `${alertId}/${webhookId}`);

const deliveryFinished = (alertId: string) => service.temporal.workflow.getHandle(alertDeliveryWorkflowId(alertId)).result();

beforeAll(async () => {
  service = await startService({ webhookRetry: RETRY });
  supervisor = await service.clientFor('Webhook test supervisor', 'supervisor');
  const satpol = await service.clientFor('Webhook test Satpol PP', 'satpol_pp', { regionCode: '35.78' });
  const intake = {
    ppksType: 'lanjut_usia_terlantar',
    foundAt: '2026-11-20T21:15:00+07:00',
    foundPlace,
    person: { sex: 'F', estimatedAge: 41, ...person },
  };
  caseNumber = (await openCase(satpol, intake)).caseNumber;
  // The activities as the case workflow calls them, starting deliveries on the service's worker.
  activities = createActivities(service.pool, { temporal: service.temporal, taskQueue: service.taskQueue, webhookRetry: RETRY });
  receiverUrl = await target.listening;
});

afterAll(async () => {
  // Other test files share the database: nothing of theirs may be sent here after this file.
  for (const id of webhookIds) await supervisor?.raw('DELETE', `/v1/webhooks/${id}`);
  await service?.stop();
  silent.server.closeAllConnections();
  target.server.close();
  silent.server.close();
  rmSync(logFile, { force: true });
});

describe('alert delivery to webhooks', () => {
  let receiverId: string;
  let deadId: string;
  let alertId: string;

  it('delivers each alert exactly once, signed, after two failures, and gives up on a dead webhook', async () => {
    receiverId = await register(`${receiverUrl}/alerts`, SECRET);
    deadId = await register(`http://127.0.0.1:${await freePort()}/alerts`);
    const alert = alertRequest();
    // Raised twice at once, as a retried activity might: one alert, one delivery.
    const [first, second] = await Promise.all([activities.raiseAlert(alert), activities.raiseAlert(alert)]);
    expect(second.alertId).toBe(first.alertId);
    alertId = first.alertId;
    await deliveryFinished(alertId);

    const requests = requestsFor(alertId, receiverId);
    expect(requests.map((request) => request.answered)).toEqual([500, 500, 200]);
    for (const request of requests) {
      expect(request.path).toBe('/alerts');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-ppks-event']).toBe('alert.raised');
      // Standard Webhooks, verified by its library (timestamp within 5 minutes, signature over id, timestamp and body).
      const standard = {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      };
      expect(standard['webhook-id']).toBe(`${alertId}/${receiverId}`);
      expect(Math.abs(Number(standard['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(120);
      expect(new Webhook(Buffer.from(SECRET), { format: 'raw' }).verify(request.raw, standard)).toMatchObject({ event: 'alert.raised' });
      expect(() => new Webhook(Buffer.from('another-secret-entirely'), { format: 'raw' }).verify(request.raw, standard)).toThrow();
      // The legacy header, still sent during the transition.
      const expected = `sha256=${createHmac('sha256', SECRET).update(request.raw).digest('hex')}`;
      expect(request.headers['x-ppks-signature']).toBe(expected);
      expect(`sha256=${createHmac('sha256', 'another-secret-entirely').update(request.raw).digest('hex')}`).not.toBe(expected);
      const body = JSON.parse(request.raw.toString('utf8'));
      expect(Object.keys(body).sort()).toEqual(['alert', 'deliveryId', 'event']);
      expect(body).toMatchObject({ event: 'alert.raised', deliveryId: `${alertId}/${receiverId}` });
      // The alert as raised, but for its key, with its ID and times in +07:00.
      const { alertKey: _key, dueAt, ...raised } = alertRequest();
      expect(body.alert).toEqual({
        ...raised,
        id: alertId,
        dueAt: expect.stringMatching(/\+07:00$/),
        createdAt: expect.stringMatching(/\+07:00$/),
      });
      expect(Date.parse(body.alert.dueAt)).toBe(Date.parse(dueAt!));
      for (const value of [...Object.values(person), foundPlace]) expect(request.raw.toString('utf8')).not.toContain(value);
    }

    expect(await deliveryOf(receiverId, alertId)).toMatchObject({
      caseNumber,
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
      deliveredAt: expect.stringMatching(/\+07:00$/),
    });
    expect(await deliveryOf(deadId, alertId)).toMatchObject({
      status: 'failed',
      attempts: RETRY.maximumAttempts,
      lastStatusCode: null,
      lastError: 'ECONNREFUSED',
      deliveredAt: null,
    });
  });

  it('does not deliver an alert raised again with the same key', async () => {
    const alert = alertRequest();
    const { alertId: again } = await activities.raiseAlert(alert);
    await deliveryFinished(again);
    expect(requestsFor(again, receiverId)).toHaveLength(3);
    expect((await activities.raiseAlert(alert)).alertId).toBe(again);
    // An attempt retried after its success (say, it timed out just after the receiver took it) sends nothing.
    await activities.deliverToWebhook({ alertId: again, webhookId: receiverId });
    await new Promise((resolve) => setTimeout(resolve, 3 * RETRY.maximumIntervalMs));
    expect(requestsFor(again, receiverId)).toHaveLength(3);
    expect(await deliveryOf(receiverId, again)).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(await deliveryOf(deadId, again)).toMatchObject({ status: 'failed', attempts: RETRY.maximumAttempts });
  });

  it('holds up neither the case nor the other webhooks when a webhook never answers', async () => {
    const silentId = await register(`${await silent.listening}/alerts`);
    const raisedAt = Date.now();
    const { alertId: stalled } = await activities.raiseAlert(alertRequest());
    // The silent webhook's first attempt alone takes 10 s.
    expect(Date.now() - raisedAt).toBeLessThan(5_000);
    await eventually(async () => expect(await deliveryOf(receiverId, stalled)).toMatchObject({ status: 'delivered', attempts: 3 }));
    expect(await deliveryOf(silentId, stalled)).toMatchObject({ status: 'pending', attempts: 0 });
    await disable(silentId);
    expect(await deliveryOf(silentId, stalled)).toMatchObject({ status: 'failed', lastError: 'webhook disabled' });
  });

  it('sends nothing more to a disabled webhook, and stops its deliveries still due', async () => {
    const disabledId = await register(`${receiverUrl}/disabled`);
    await disable(disabledId);
    await disable(disabledId);
    const { alertId: afterDisabling } = await activities.raiseAlert(alertRequest());
    await deliveryFinished(afterDisabling);
    expect(requestsFor(afterDisabling, receiverId)).toHaveLength(3);
    expect(requestsFor(afterDisabling, disabledId)).toHaveLength(0);
    expect(await deliveryOf(disabledId, afterDisabling)).toBeUndefined();

    const failingId = await register(`${receiverUrl}/always-fails`);
    const { alertId: due } = await activities.raiseAlert(alertRequest());
    // Disable right after the first failed attempt, well before the retries run out.
    for (const deadline = Date.now() + 15_000; requestsFor(due, failingId).length === 0 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await disable(failingId);
    const sentBeforeDisabling = requestsFor(due, failingId).length;
    await deliveryFinished(due);
    const sent = requestsFor(due, failingId).length;
    // At most the one attempt already under way when the webhook was disabled.
    expect(sentBeforeDisabling).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThanOrEqual(sentBeforeDisabling + 1);
    expect(sent).toBeLessThan(RETRY.maximumAttempts);
    expect(await deliveryOf(failingId, due)).toMatchObject({ status: 'failed', attempts: sent });

    const listed = await supervisor.get('/v1/webhooks');
    answers.push(listed.body);
    const byId = new Map(listed.body.items.map((item: { id: string }) => [item.id, item]));
    expect(byId.get(disabledId)).toMatchObject({
      disabledAt: expect.stringMatching(/\+07:00$/),
      deliveries: { pending: 0, delivered: 0, failed: 0 },
    });
    expect(byId.get(failingId)).toMatchObject({ disabledAt: expect.any(String), deliveries: { pending: 0, delivered: 0, failed: 1 } });
    // Other test files' alerts may reach the receiver too (shared database): only this file's are counted exactly.
    expect(byId.get(receiverId)).toMatchObject({ disabledAt: null });
    expect((byId.get(receiverId) as { deliveries: { delivered: number } }).deliveries.delivered).toBeGreaterThanOrEqual(5);
  });

  it('gives up at once on a webhook that answers 410 Gone', async () => {
    const goneId = await register(`${receiverUrl}/gone`);
    const { alertId: raised } = await activities.raiseAlert(alertRequest());
    await deliveryFinished(raised);
    expect(requestsFor(raised, goneId)).toHaveLength(1);
    expect(await deliveryOf(goneId, raised)).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 410, lastError: 'HTTP 410' });
    expect(await deliveryOf(receiverId, raised)).toMatchObject({ status: 'delivered', attempts: 3 });
    await disable(goneId);
  });

  it('checks the destination again at each delivery: one no longer allowed is refused and sent nothing', async () => {
    // As a webhook registered before destinations were checked: a name, not listed, that resolves to loopback.
    const id = `webhook_${randomUUID()}`;
    const secret = `secret-${randomUUID()}`;
    secrets.push(secret);
    const sealed = await new WebhookSecrets(loadPayloadKeyring()).seal(id, secret);
    const { rows } = await service.pool.query<{ id: string }>(`SELECT id FROM agencies WHERE role = 'supervisor' LIMIT 1`);
    await service.pool.query('INSERT INTO webhooks (id, url, secret_ciphertext, secret_key_id, created_by) VALUES ($1, $2, $3, $4, $5)', [
      id,
      `${receiverUrl.replace('127.0.0.1', 'localhost')}/refused`,
      sealed.ciphertext,
      sealed.keyId,
      rows[0]!.id,
    ]);
    try {
      const { alertId: raised } = await activities.raiseAlert(alertRequest());
      await deliveryFinished(raised);
      // Refused for good at the first attempt: no status, no network error, nothing about what answers there.
      expect(await deliveryOf(id, raised)).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastStatusCode: null,
        lastError: 'destination refused',
        deliveredAt: null,
      });
      expect(requestsFor(raised, id)).toHaveLength(0);
      expect(target.received.filter((request) => request.path === '/refused')).toHaveLength(0);
      expect(await deliveryOf(receiverId, raised)).toMatchObject({ status: 'delivered' });
    } finally {
      await disable(id);
    }
  });

  it('stores the secret encrypted: the table holds no clear secret', async () => {
    const { rows } = await service.pool.query<Record<string, unknown> & { id: string; secret_ciphertext: Buffer; secret_key_id: string }>(
      'SELECT * FROM webhooks WHERE id = ANY($1)',
      [webhookIds],
    );
    expect(rows).toHaveLength(webhookIds.length);
    const keyring = loadPayloadKeyring();
    const sealedSecrets = new WebhookSecrets(keyring);
    for (const row of rows) {
      expect(Object.keys(row)).not.toContain('secret');
      expect(row.secret_key_id).toBe(keyring.currentKeyId);
      for (const secret of secrets) {
        expect(row.secret_ciphertext.includes(Buffer.from(secret))).toBe(false);
        expect(JSON.stringify(row)).not.toContain(secret);
      }
    }
    // What the receiver's deliveries were signed with is this ciphertext, opened.
    const receiverRow = rows.find((row) => row.id === receiverId)!;
    expect(await sealedSecrets.open(receiverId, receiverRow.secret_ciphertext)).toBe(SECRET);
  });

  it('names each invalid field of a registration, and refuses other roles', async () => {
    const url = `${receiverUrl}/alerts`;
    const secret = 'a-valid-secret-of-some-length';
    const cases: [unknown, string[]][] = [
      [{}, ['url', 'secret']],
      [{ url: 'ftp://127.0.0.1/alerts', secret }, ['url']],
      [{ url: 'javascript:alert(1)', secret }, ['url']],
      [{ url: `http://127.0.0.1/${'a'.repeat(2000)}`, secret }, ['url']],
      [{ url, secret: 'short-secret' }, ['secret']],
      [{ url, secret: 'x'.repeat(201) }, ['secret']],
      [{ url, secret: 12345678901234568 }, ['secret']],
      [{ url, secret, events: ['alert.raised'] }, ['body']],
    ];
    for (const [body, fields] of cases) {
      const refused = await supervisor.post('/v1/webhooks', body);
      expect(refused.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([...fields].sort());
      expect(JSON.stringify(refused.body)).not.toContain('short-secret');
    }
    // Loopback is listed in WEBHOOK_ALLOWED_DESTINATIONS here: taken in every spelling (and disabled at once,
    // so that no alert goes there), but a name must be listed by name even when it resolves to loopback.
    for (const listed of ['http://127.0.0.1:5432/', 'http://[::1]/', 'http://0x7f000001/']) {
      const id = await register(listed);
      await disable(id);
    }
    const byName = await supervisor.post('/v1/webhooks', { url: `http://localhost:${new URL(receiverUrl).port}/alerts`, secret });
    expect(byName.status).toBe(400);
    expect(byName.body.errors).toEqual([{ path: 'url', message: expect.stringMatching(/internal host/) }]);
    const satpol = await service.clientFor('Webhook test Satpol PP 2', 'satpol_pp', { regionCode: '35.78' });
    expect((await satpol.post('/v1/webhooks', { url, secret })).status).toBe(403);
    expect((await supervisor.raw('DELETE', '/v1/webhooks/webhook_00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await supervisor.get('/v1/webhooks/not-a-webhook/deliveries')).status).toBe(404);
    const { rows } = await service.pool.query('SELECT count(*)::int AS n FROM webhooks WHERE url LIKE $1', ['ftp:%']);
    expect(rows[0].n).toBe(0);
  });

  it('never returns, audits or logs a secret, nor logs a delivery body', async () => {
    const listed = await supervisor.get('/v1/webhooks');
    answers.push(listed.body);
    for (const id of webhookIds) await deliveryOf(id, alertId);
    expect(answers.length).toBeGreaterThan(webhookIds.length * 2);
    for (const answer of answers) {
      for (const secret of secrets) expect(JSON.stringify(answer) ?? '').not.toContain(secret);
    }

    const { rows } = await service.pool.query<{ entry_key: string; action: string; details: unknown; request_hash: string }>(
      'SELECT entry_key, action, details, request_hash FROM audit_log WHERE entry_key LIKE $1 ORDER BY seq',
      ['webhook/%'],
    );
    const ours = rows.filter((row) => webhookIds.some((id) => row.entry_key.startsWith(`webhook/${id}/`)));
    expect(ours.filter((row) => row.action === 'webhook.register')).toHaveLength(webhookIds.length);
    expect(
      ours
        .filter((row) => row.action === 'webhook.disable')
        .map((row) => row.entry_key)
        .sort(),
    ).toEqual(
      webhookIds
        .filter((id) => id !== receiverId && id !== deadId)
        .map((id) => `webhook/${id}/disabled`)
        .sort(),
    );
    for (const secret of secrets) expect(JSON.stringify(ours)).not.toContain(secret);

    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('alert delivered to webhook');
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toContain('"event":"alert.raised"');
    expect(log).not.toContain(receiverUrl);
  });
});
