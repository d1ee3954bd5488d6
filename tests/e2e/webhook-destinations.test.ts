/**
 * Where webhooks may point, through the real API: internal addresses and names, and URLs with
 * credentials, are refused at registration with 400 naming `url`, and nothing is stored; what
 * WEBHOOK_ALLOWED_DESTINATIONS lists is taken. Nothing here is sent anywhere, nor resolved: every
 * refusal below comes from the URL alone, and the listed destinations are disabled as soon as
 * they are registered, before any alert could be raised for them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AgencyClient, startService, type RunningService } from '../support/service.js';

vi.hoisted(() => {
  // Before config.ts is read. None of the brief's refused destinations is listed.
  process.env.WEBHOOK_ALLOWED_DESTINATIONS = '192.168.77.0/24, fd12:3456::/32, alerts.dinsos.internal, 100.64.0.7';
});

let service: RunningService;
let supervisor: AgencyClient;
const secret = `secret-${randomUUID()}`;

beforeAll(async () => {
  service = await startService();
  supervisor = await service.clientFor('Webhook destinations supervisor', 'supervisor');
});

afterAll(async () => {
  await service?.stop();
});

/** Webhooks this file's supervisor registered (other files register theirs in the same database at the same time). */
const webhookCount = async () =>
  (
    await service.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhooks w JOIN agencies a ON a.id = w.created_by WHERE a.name = 'Webhook destinations supervisor'`,
    )
  ).rows[0]!.n;

describe('POST /v1/webhooks destinations', () => {
  it('refuses loopback, link-local, private, internal names and credentials, naming url, storing nothing', async () => {
    const refused = [
      'http://127.0.0.1:5432/',
      'http://[::1]/',
      'http://0x7f000001/',
      'http://169.254.169.254/',
      'http://10.0.0.1/',
      'http://postgresql:5432/',
      'http://user:pw@example.com/',
      // And their relatives.
      'http://2130706433/',
      'http://[::ffff:127.0.0.1]/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://0.0.0.0:3000/',
      'http://localhost:3000/',
      'http://temporal.internal:7233/',
      'https://printer.local/',
      // Neighbours of what is listed.
      'http://192.168.78.5/',
      'http://[fd12:3457::5]/',
      'http://other.dinsos.internal/',
      'http://100.64.0.8/',
    ];
    const before = await webhookCount();
    for (const url of refused) {
      const answer = await supervisor.post('/v1/webhooks', { url, secret });
      expect(answer.status, url).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.errors, url).toEqual([{ path: 'url', message: expect.any(String) }]);
      // The answer says why without repeating the URL (nor its password).
      expect(JSON.stringify(answer.body)).not.toContain(new URL(url).host);
      expect(JSON.stringify(answer.body)).not.toContain(secret);
    }
    expect(await webhookCount()).toBe(before);

    const messages = async (url: string) => (await supervisor.post('/v1/webhooks', { url, secret })).body.errors[0].message;
    expect(await messages('http://user:pw@example.com/')).toMatch(/user name or password/);
    expect(await messages('http://postgresql:5432/')).toMatch(/internal host/);
    expect(await messages('http://169.254.169.254/')).toMatch(/non-public address.*WEBHOOK_ALLOWED_DESTINATIONS/);
  });

  it('takes what WEBHOOK_ALLOWED_DESTINATIONS lists', async () => {
    for (const url of [
      'http://192.168.77.5/alerts',
      'http://[fd12:3456::5]/',
      'http://alerts.dinsos.internal:8443/ppks',
      'http://100.64.0.7/',
    ]) {
      const registered = await supervisor.post('/v1/webhooks', { url, secret });
      expect(registered.status, url).toBe(201);
      expect(registered.body.url).toBe(url);
      expect((await supervisor.raw('DELETE', `/v1/webhooks/${registered.body.id}`)).status).toBe(204);
    }
  });

  it('lists a webhook stored with credentials in its URL without them', async () => {
    // As registered before credentials were refused; disabled, so that nothing is ever sent to it.
    const id = `webhook_${randomUUID()}`;
    const { rows } = await service.pool.query<{ id: string }>(`SELECT id FROM agencies WHERE role = 'supervisor' LIMIT 1`);
    await service.pool.query(
      `INSERT INTO webhooks (id, url, secret_ciphertext, secret_key_id, created_by, disabled_at)
       VALUES ($1, 'https://ops:hunter2-pw@receiver.example.org/hook', '\\x00', 'none', $2, now())`,
      [id, rows[0]!.id],
    );
    const listed = await supervisor.get('/v1/webhooks');
    const item = listed.body.items.find((webhook: { id: string }) => webhook.id === id);
    expect(item.url).toBe('https://redacted@receiver.example.org/hook');
    expect(JSON.stringify(listed.body)).not.toContain('hunter2-pw');
  });
});
