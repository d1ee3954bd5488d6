/**
 * The Temporal UI gateway over HTTP (api/temporal-ui.ts): who gets through, what it passes on to
 * the UI server (never the session cookie), and that the UI is for reading. A stand-in UI server
 * records what reaches it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredAuthFailureLimits } from '../../api/auth-failures.js';
import { configuredSessionSettings } from '../../api/sessions.js';
import { createTemporalUiGateway } from '../../api/temporal-ui.js';
import { browser, enrolTotp, personIn, sessionCookie, signIn } from '../support/people.js';
import { startService, type RunningService } from '../support/service.js';

let service: RunningService;
let upstream: http.Server;
let gateway: http.Server;
let gatewayUrl: string;
/** The requests the stand-in UI server received. */
const received: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  service = await startService({ temporalUi: true });
  upstream = http.createServer((req, res) => {
    received.push({ method: req.method!, url: req.url!, headers: req.headers });
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>Temporal</title>');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  gateway = createTemporalUiGateway({
    pool: service.pool,
    temporal: service.temporal,
    sessions: configuredSessionSettings(),
    settings: { upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, consoleUrl: service.baseUrl },
    authFailureLimits: configuredAuthFailureLimits(),
    authFailureNamespace: service.taskQueue,
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => gateway.once('listening', resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});

afterAll(async () => {
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
  await new Promise((resolve) => upstream?.close(resolve));
  await service?.stop();
});

/** A request to the gateway with a session cookie (or none). */
const ask = (path: string, init: { method?: string; cookie?: string; accept?: string } = {}) =>
  fetch(`${gatewayUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { accept: init.accept ?? 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}) },
    redirect: 'manual',
  });

/** A signed-in person's session cookie, past the second factor when `enrol`. */
async function sessionOf(role: string, enrol: boolean): Promise<string> {
  const person = await personIn(service, role);
  const signedIn = await signIn(service.baseUrl, person.email, person.password);
  if (!enrol) return signedIn.cookie!;
  const tab = browser(service.baseUrl, signedIn.cookie!, signedIn.body!.csrfToken as string);
  // Passing the second factor gives the session a new token (api/sessions.ts).
  const { confirmed } = await enrolTotp((method, path, body) => tab(method, path, { body }));
  return sessionCookie(confirmed.headers)!;
}

describe('the Temporal UI gateway', () => {
  it('sends a stranger opening a page to the console to sign in, and answers other requests 401', async () => {
    const page = await ask('/namespaces/default/workflows?query=x', { accept: 'text/html' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(
      `${service.baseUrl}/?next=${encodeURIComponent(`${gatewayUrl}/namespaces/default/workflows?query=x`)}`,
    );
    const call = await ask('/api/v1/namespaces');
    expect(call.status).toBe(401);
    expect(call.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await ask('/api/v1/namespaces', { cookie: 'ppks_session=ended-long-ago' })).status).toBe(401);
    expect(received).toEqual([]);
  });

  it('lets a supervisor through only past the second factor, and no other role', async () => {
    const pending = await ask('/api/v1/namespaces', { cookie: await sessionOf('supervisor', false) });
    expect(pending.status).toBe(401);
    expect(await pending.json()).toMatchObject({ detail: expect.stringContaining('second factor') });
    expect((await ask('/api/v1/namespaces', { cookie: await sessionOf('dinsos_prov', false) })).status).toBe(403);
    expect(received).toEqual([]);
  });

  it('passes a supervisor’s reads on without the session cookie, and refuses changes to a case', async () => {
    const cookie = await sessionOf('supervisor', true);
    const read = await ask('/api/v1/namespaces/default/workflows/case-3578-2026-000001', { cookie: `${cookie}; _csrf=ui-token` });
    expect(read.status).toBe(200);
    const query = await ask('/api/v1/namespaces/default/workflows/case-3578-2026-000001/query/__temporal_workflow_metadata', {
      method: 'POST',
      cookie,
    });
    expect(query.status).toBe(200);
    expect(received.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'GET /api/v1/namespaces/default/workflows/case-3578-2026-000001',
      'POST /api/v1/namespaces/default/workflows/case-3578-2026-000001/query/__temporal_workflow_metadata',
    ]);
    // The UI's own cookie goes along; the session's stays with the API.
    expect(received[0]!.headers.cookie).toBe('_csrf=ui-token');
    expect(received[1]!.headers.cookie).toBeUndefined();

    for (const [method, path] of [
      ['POST', '/api/v1/namespaces/default/workflows/case-3578-2026-000001/terminate'],
      ['POST', '/api/v1/namespaces/default/workflows/case-3578-2026-000001/signal/anything'],
      ['DELETE', '/api/v1/namespaces/default/workflows/case-3578-2026-000001'],
    ] as const) {
      const refused = await ask(path, { method, cookie });
      expect(refused.status, `${method} ${path}`).toBe(405);
    }
    expect(received).toHaveLength(2);
  });

  it('is linked from the API: /temporal… goes to the same page on the gateway', async () => {
    const link = await fetch(`${service.baseUrl}/temporal/namespaces/default/workflows/case-3578-2026-000001`, { redirect: 'manual' });
    expect(link.status).toBe(302);
    expect(link.headers.get('location')).toBe(`${service.temporalUiUrl}/namespaces/default/workflows/case-3578-2026-000001`);
  });
});
