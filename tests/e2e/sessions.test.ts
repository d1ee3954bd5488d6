/**
 * People's sessions over the real HTTP API and PostgreSQL (issue 15): signing in and out, the
 * cookie's attributes, GET /v1/me, CSRF refusals, a disabled person refused on their next
 * request, the idle and absolute timeouts, and failed sign-ins in the limiter of failed keys.
 * `trust proxy` trusts loopback, so a test speaks as a client of its own through X-Forwarded-For
 * (documentation addresses, 203.0.113.0/24: header values only, no traffic goes there).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { setDisabled } from '../../api/users.js';
import { browser, enrolTotp, personIn, sessionCookie, signIn } from '../support/people.js';
import { agencyClient, startService, type RunningService } from '../support/service.js';

const limits = { perClient: 4, perKey: 3, windowSeconds: 600 };
let service: RunningService;
let shortLived: { baseUrl: string; stop: () => Promise<unknown> };
let clientNumber = 0;
const newClient = () => `203.0.113.${++clientNumber}`;

beforeAll(async () => {
  service = await startService({ authFailureLimits: limits, trustProxy: 'loopback' });
  // A second API over the same database and Temporal, with sessions that end within seconds.
  const server = createApp({
    pool: service.pool,
    temporal: service.temporal,
    taskQueue: service.taskQueue,
    authFailureNamespace: service.taskQueue,
    sessions: { idleSeconds: 1, absoluteSeconds: 3, allowedOrigins: [] },
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  shortLived = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
});
afterAll(async () => {
  await shortLived?.stop();
  await service?.stop();
});

describe('signing in and out', () => {
  it('signs in with email and password: an HttpOnly, SameSite=Strict session cookie (not Secure over plain HTTP to 127.0.0.1) and the person', async () => {
    const person = await personIn(service, 'dinsos_kabkota', { regionCode: '35.78' });
    const signedIn = await signIn(service.baseUrl, person.email.toUpperCase(), person.password);
    expect(signedIn.status).toBe(201);
    const setCookie = signedIn.headers.getSetCookie().find((cookie) => cookie.startsWith('ppks_session='))!;
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Strict/i);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/Secure/i);
    expect(signedIn.body).toEqual({
      userId: person.userId,
      email: person.email,
      name: 'Siti Rahayu',
      agency: { id: person.agencyId, name: 'Agency of dinsos_kabkota' },
      role: 'dinsos_kabkota',
      scope: { regionCode: '35.78', uptCode: null },
      csrfToken: expect.stringMatching(/^[\w-]{40,}$/),
      secondFactor: 'not_enrolled',
    });
    // Only a hash of the cookie's token is stored.
    const token = signedIn.cookie!.split('=')[1]!;
    const { rows } = await service.pool.query('SELECT token_hash FROM sessions WHERE user_id = $1', [person.userId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toContain(token);

    const tab = browser(service.baseUrl, signedIn.cookie!, null);
    const me = await tab('GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual(signedIn.body);
    // The agency's role and scope apply: its region's cases only.
    expect((await tab('GET', '/v1/cases')).status).toBe(200);
    expect((await tab('GET', '/v1/sla-policies')).status).toBe(403);
  });

  it('the cookie is Secure unless the request is to localhost or 127.0.0.1 over plain HTTP', async () => {
    const person = await personIn(service);
    const viaTls = await signIn(service.baseUrl, person.email, person.password, { 'x-forwarded-proto': 'https' });
    expect(viaTls.status).toBe(201);
    expect(viaTls.headers.getSetCookie().find((cookie) => cookie.startsWith('ppks_session='))).toMatch(/; Secure/);
  });

  it('GET /v1/me answers for an API key too: the agency, no person', async () => {
    const person = await personIn(service, 'upt', { uptCode: 'balai_prs_pmks_sidoarjo' });
    const me = await agencyClient(service.baseUrl, person.apiKey).get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      userId: null,
      email: null,
      name: null,
      agency: { id: person.agencyId, name: 'Agency of upt' },
      role: 'upt',
      scope: { regionCode: null, uptCode: 'balai_prs_pmks_sidoarjo' },
      csrfToken: null,
      secondFactor: null,
    });
  });

  it('signing out ends the session for every tab using it', async () => {
    const person = await personIn(service);
    const { cookie, body } = await signIn(service.baseUrl, person.email, person.password);
    const tab = browser(service.baseUrl, cookie!, body!.csrfToken as string);
    const otherTab = browser(service.baseUrl, cookie!, body!.csrfToken as string);
    const out = await tab('DELETE', '/v1/session');
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/ppks_session=;/);
    const after = await otherTab('GET', '/v1/me');
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ status: 401, detail: expect.stringContaining('session has ended') });
    const { rows } = await service.pool.query('SELECT 1 FROM sessions WHERE user_id = $1', [person.userId]);
    expect(rows).toEqual([]);
  });

  it("the console's sign-in form (a form post from the API's own origin) signs in and goes to the console", async () => {
    const person = await personIn(service);
    const form = (origin: string) =>
      fetch(`${service.baseUrl}/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams({ email: person.email, password: person.password }).toString(),
        redirect: 'manual',
      });
    const signedIn = await form(service.baseUrl);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/');
    const cookie = sessionCookie(signedIn.headers)!;
    expect((await browser(service.baseUrl, cookie, null)('GET', '/v1/me')).body).toMatchObject({ userId: person.userId });
    // Another site's form cannot sign a person in (login CSRF).
    const foreign = await form('https://evil.example');
    expect(foreign.status).toBe(403);
    expect(sessionCookie(foreign.headers)).toBeNull();
  });

  it('a sign-in without email or password is 400 naming the field', async () => {
    const response = await signIn(service.baseUrl, '', 'x');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body!.errors).toEqual([expect.objectContaining({ path: 'email' })]);
  });
});

describe('refused sign-ins', () => {
  it('an unknown email and a wrong password get the same answer, after the same password check', async () => {
    const person = await personIn(service);
    const attempt = async (email: string) => {
      const started = performance.now();
      const response = await signIn(service.baseUrl, email, 'not the password at all', { 'x-forwarded-for': newClient() });
      return { ...response, ms: performance.now() - started };
    };
    const wrong = [await attempt(person.email), await attempt(person.email)];
    const unknown = [await attempt(`nobody.${crypto.randomUUID()}@dinsos.example.id`), await attempt(`nobody.${crypto.randomUUID()}@x.id`)];
    for (const response of [...wrong, ...unknown]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual(wrong[0]!.body);
      expect(response.cookie).toBeNull();
    }
    // Both verify an argon2id hash (tens of milliseconds): an unknown email does not answer fast.
    const fastest = (responses: { ms: number }[]) => Math.min(...responses.map((response) => response.ms));
    expect(fastest(unknown)).toBeGreaterThan(fastest(wrong) * 0.4);
  });

  it('a disabled person cannot sign in, and a live session of theirs is refused on its next request', async () => {
    const person = await personIn(service);
    const { cookie } = await signIn(service.baseUrl, person.email, person.password);
    const tab = browser(service.baseUrl, cookie!, null);
    expect((await tab('GET', '/v1/me')).status).toBe(200);
    // Disabled directly in the table: the check on each request is what refuses, not the sessions ending.
    await service.pool.query('UPDATE users SET disabled = true WHERE id = $1', [person.userId]);
    const refused = await tab('GET', '/v1/me');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ detail: 'This account is disabled' });
    await setDisabled(service.pool, person.userId, true);
    expect((await signIn(service.baseUrl, person.email, person.password, { 'x-forwarded-for': newClient() })).status).toBe(401);
    // The agency's key still works.
    expect((await agencyClient(service.baseUrl, person.apiKey).get('/v1/me')).status).toBe(200);
  });

  it('failed sign-ins of an account are limited like failed keys: 429 with Retry-After, even with the right password', async () => {
    const person = await personIn(service);
    for (let attempt = 0; attempt < limits.perKey; attempt++) {
      expect((await signIn(service.baseUrl, person.email, 'wrong password here', { 'x-forwarded-for': newClient() })).status).toBe(401);
    }
    const blocked = await signIn(service.baseUrl, person.email.toUpperCase(), person.password, { 'x-forwarded-for': newClient() });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(blocked.cookie).toBeNull();
    // The same answer as a blocked API key gets.
    const badKeyClient = newClient();
    for (let attempt = 0; attempt < limits.perClient; attempt++) {
      await agencyClient(service.baseUrl, `ppks_wrong${attempt}`).raw('GET', '/v1/upts', undefined, { 'x-forwarded-for': badKeyClient });
    }
    const keyBlocked = await agencyClient(service.baseUrl, 'ppks_wrong').raw('GET', '/v1/upts', undefined, {
      'x-forwarded-for': badKeyClient,
    });
    expect(keyBlocked.status).toBe(429);
    expect(blocked.body).toEqual(keyBlocked.body);
  });

  it('failed keys and failed sign-ins from one client count together', async () => {
    const person = await personIn(service);
    const client = newClient();
    for (let attempt = 0; attempt < limits.perClient - 1; attempt++) {
      const bad = await agencyClient(service.baseUrl, `ppks_guess${attempt}`).raw('GET', '/v1/upts', undefined, {
        'x-forwarded-for': client,
      });
      expect(bad.status).toBe(401);
    }
    expect((await signIn(service.baseUrl, person.email, 'wrong password here', { 'x-forwarded-for': client })).status).toBe(401);
    expect((await signIn(service.baseUrl, person.email, person.password, { 'x-forwarded-for': client })).status).toBe(429);
    expect((await signIn(service.baseUrl, person.email, person.password, { 'x-forwarded-for': newClient() })).status).toBe(201);
  });
});

describe('CSRF', () => {
  /**
   * A supervisor's tab (past its second factor, enrolled at this first sign-in) and a state-changing
   * request it may make: removing a holiday nobody declared (404 once past the checks).
   */
  async function supervisorTab() {
    const person = await personIn(service, 'supervisor');
    const { cookie, body } = await signIn(service.baseUrl, person.email, person.password);
    const tab = browser(service.baseUrl, cookie!, body!.csrfToken as string);
    await enrolTotp((method, path, body) => tab(method, path, { body }));
    return { person, tab };
  }
  const change = '/v1/holidays/2031-02-03';

  it('refuses a state-changing request with the cookie but no Origin, or another origin', async () => {
    const { tab } = await supervisorTab();
    const noOrigin = await tab('DELETE', change, { origin: null });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body).toMatchObject({ status: 403, detail: expect.stringContaining('Origin') });
    const foreign = await tab('DELETE', change, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ detail: expect.stringContaining('Origin') });
  });

  it("refuses one without X-CSRF-Token, or with another session's token", async () => {
    const { tab } = await supervisorTab();
    const missing = await tab('DELETE', change, { csrf: null });
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ detail: expect.stringContaining('X-CSRF-Token') });
    const other = await supervisorTab();
    const otherToken = (await other.tab('GET', '/v1/me')).body!.csrfToken as string;
    const wrong = await tab('DELETE', change, { csrf: otherToken });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ detail: expect.stringContaining('X-CSRF-Token') });
    // Signing out is a state change too.
    expect((await tab('DELETE', '/v1/session', { csrf: null })).status).toBe(403);
    expect((await tab('GET', '/v1/me')).status).toBe(200);
  });

  it('accepts it with the own origin and the token; reads need neither; an API key needs neither', async () => {
    const { person, tab } = await supervisorTab();
    expect((await tab('DELETE', change)).status).toBe(404);
    expect((await tab('GET', '/v1/holidays', { origin: null, csrf: null })).status).toBe(200);
    const put = await tab('PUT', '/v1/holidays/2031-02-04', {
      body: { name: 'Cuti bersama (test)', kind: 'cuti_bersama', legalBasis: 'SKB 3 Menteri' },
    });
    expect(put.status).toBe(200);
    expect((await agencyClient(service.baseUrl, person.apiKey).raw('DELETE', change)).status).toBe(404);
  });
});

describe('timeouts', () => {
  it('a session idle longer than the idle timeout has ended', async () => {
    const person = await personIn(service);
    const { cookie } = await signIn(shortLived.baseUrl, person.email, person.password);
    const tab = browser(shortLived.baseUrl, cookie!, null);
    expect((await tab('GET', '/v1/me')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await tab('GET', '/v1/me')).status).toBe(401);
  });

  it('an active session ends at the absolute timeout', async () => {
    const person = await personIn(service);
    const { cookie } = await signIn(shortLived.baseUrl, person.email, person.password);
    const tab = browser(shortLived.baseUrl, cookie!, null);
    const started = Date.now();
    while (Date.now() - started < 2_500) {
      expect((await tab('GET', '/v1/me')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    await new Promise((resolve) => setTimeout(resolve, 3_200 - (Date.now() - started)));
    expect((await tab('GET', '/v1/me')).status).toBe(401);
  });
});
