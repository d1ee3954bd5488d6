/**
 * Single sign-on (issue 15) against a real OpenID Connect provider: `oidc-provider` started in
 * this process on a free loopback port, its login form posted over real HTTP, the browser's
 * redirects and cookies followed by hand. The API discovers the provider, exchanges the code,
 * verifies the ID token and reads the email and groups from UserInfo, as with any provider.
 * `trust proxy` trusts loopback, so a test speaks as a client of its own through X-Forwarded-For
 * (documentation addresses, 203.0.113.0/24: header values only, no traffic goes there).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgency } from '../../api/agencies.js';
import { createApp } from '../../api/app.js';
import { ssoClient } from '../../api/oidc.js';
import { setDisabled } from '../../api/users.js';
import { freePort } from '../../scripts/free-port.js';
import { browser, sessionCookie, signIn } from '../support/people.js';
import { startService, type RunningService } from '../support/service.js';

interface Account {
  email: string;
  name: string;
  groups: string[];
}

const limits = { perClient: 3, perKey: 3, windowSeconds: 600 };
const accounts = new Map<string, Account>();
const group = (name: string) => `${name}-${randomUUID()}`;
const kabkotaGroup = group('dinsos-surabaya');
const supervisorGroup = group('dinsos-provinsi');
const otherKabkotaGroup = group('dinsos-malang');
const satpolGroup = group('satpol-pp-surabaya');
let service: RunningService;
let api: { baseUrl: string; server: Server };
let idp: Server;
let issuer: string;
let kabkota: string;
let supervisor: string;
let malang: string;
let satpol: string;
let clientNumber = 0;
const newClient = () => `203.0.113.${++clientNumber}`;

/** A person at the provider: their subject. */
function idpAccount(groups: string[]): string {
  const subject = `sub-${randomUUID()}`;
  accounts.set(subject, { email: `${subject}@dinsos.example.id`, name: 'Budi Santoso', groups });
  return subject;
}

beforeAll(async () => {
  service = await startService();
  kabkota = (await addAgency(service.pool, { name: 'Dinsos Kota Surabaya', role: 'dinsos_kabkota', regionCode: '35.78' })).agencyId;
  supervisor = (await addAgency(service.pool, { name: 'Dinsos Provinsi', role: 'supervisor' })).agencyId;
  malang = (await addAgency(service.pool, { name: 'Dinsos Kota Malang', role: 'dinsos_kabkota', regionCode: '35.73' })).agencyId;
  satpol = (await addAgency(service.pool, { name: 'Satpol PP Kota Surabaya', role: 'satpol_pp', regionCode: '35.78' })).agencyId;
  issuer = `http://127.0.0.1:${await freePort()}`;

  // The API, its single sign-on pointing at the provider (discovered at the first sign-in).
  const server = createApp({
    pool: service.pool,
    temporal: service.temporal,
    taskQueue: service.taskQueue,
    authFailureNamespace: `${service.taskQueue}-oidc`,
    authFailureLimits: limits,
    trustProxy: 'loopback',
    sso: ssoClient({
      issuer: new URL(issuer),
      clientId: 'ppks',
      clientSecret: 'a-test-client-secret-of-some-length',
      redirectUri: undefined,
      scopes: 'openid email profile groups',
      agencyClaim: 'groups',
      agencies: new Map([
        [kabkotaGroup, kabkota],
        [supervisorGroup, supervisor],
        [otherKabkotaGroup, malang],
        [satpolGroup, satpol],
      ]),
    }),
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  api = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'ppks',
        client_secret: 'a-test-client-secret-of-some-length',
        redirect_uris: [`${api.baseUrl}/v1/session/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: {
      keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', kid: 'test' }],
    },
    cookies: { keys: [randomUUID()] },
    ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    claims: { email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    findAccount: (_ctx, subject) => {
      const account = accounts.get(subject);
      return account && { accountId: subject, claims: () => ({ sub: subject, email_verified: true, ...account }) };
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // A first-party client: no consent screen, every requested scope granted.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const clientId = ctx.oidc.client!.clientId;
      const grantId = ctx.oidc.session!.grantIdFor(clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  const providerCallback = provider.callback();
  idp = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url!, issuer).pathname;
    const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
    if (!interaction) return void providerCallback(req, res);
    void (async () => {
      if (req.method === 'GET') {
        await provider.interactionDetails(req, res);
        res.writeHead(200, { 'content-type': 'text/html' }).end(`<form method="post" action="${path}/login"><input name="login"></form>`);
        return;
      }
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const accountId = new URLSearchParams(body).get('login')!;
      await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    })().catch((error: Error) => res.writeHead(500).end(error.message));
  });
  idp.listen(Number(new URL(issuer).port), '127.0.0.1');
  await once(idp, 'listening');
});
afterAll(async () => {
  await new Promise((resolve) => idp?.close(resolve));
  await new Promise((resolve) => api?.server.close(resolve));
  await service?.stop();
});

/** One browser: its cookies (by name; both servers are 127.0.0.1), redirects followed by hand. */
function newBrowser(client: string) {
  const jar = new Map<string, string>();
  const go = async (url: URL, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const [name, ...value] = pair!.split('=');
      if (/expires=Thu, 01 Jan 1970/i.test(set)) jar.delete(name!);
      else jar.set(name!, value.join('='));
    }
    return response;
  };
  /** Follows redirects from `url` until a page that is no redirect, or a URL `stop` picks. */
  const follow = async (url: URL, stop: (next: URL) => boolean = () => false) => {
    for (let hop = 0; hop < 10; hop++) {
      if (stop(url)) return url;
      const response = await go(url, url.origin === api.baseUrl ? { headers: { 'x-forwarded-for': client } } : {});
      if (response.status < 300 || response.status >= 400) {
        expect(response.status, await response.text()).toBe(200);
        return url;
      }
      await response.arrayBuffer();
      url = new URL(response.headers.get('location')!, url);
    }
    throw new Error('too many redirects');
  };
  return { jar, go, follow };
}

/** Signs `subject` in at the provider, stopping at the API's callback (not yet called): that URL and the browser. */
async function throughProvider(subject: string, client = newClient()) {
  const tab = newBrowser(client);
  const loginPage = await tab.follow(new URL(`${api.baseUrl}/v1/session/oidc`));
  expect(loginPage.origin).toBe(issuer);
  const posted = await tab.go(new URL(`${loginPage.pathname}/login`, issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login: subject }),
  });
  expect(posted.status).toBe(303);
  const callback = await tab.follow(
    new URL(posted.headers.get('location')!, issuer),
    (url) => url.pathname === '/v1/session/oidc/callback',
  );
  expect(callback.origin).toBe(api.baseUrl);
  return { callback, tab, client };
}

async function callBack(flow: Awaited<ReturnType<typeof throughProvider>>, callback = flow.callback) {
  const response = await flow.tab.go(callback, { headers: { 'x-forwarded-for': flow.client } });
  const text = await response.text();
  return {
    status: response.status,
    response,
    body: /json/.test(response.headers.get('content-type') ?? '') ? (JSON.parse(text) as Record<string, unknown>) : null,
    cookie: sessionCookie(response.headers),
  };
}

/** Signs `subject` in all the way: the callback's answer. */
const signInThroughProvider = async (subject: string) => callBack(await throughProvider(subject));

describe('single sign-on through an OpenID Connect provider', () => {
  it('signs a person of a mapped group in: created without a password, the session of their agency and role, the same person the next time', async () => {
    const subject = idpAccount(['unrelated-group', kabkotaGroup]);
    const first = await signInThroughProvider(subject);
    expect(first.status).toBe(303);
    expect(first.response.headers.get('location')).toBe('/');
    const setCookie = first.response.headers.getSetCookie().find((cookie) => cookie.startsWith('ppks_session='))!;
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Strict/i);

    const tab = browser(api.baseUrl, first.cookie!, null);
    const me = await tab('GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: `${subject}@dinsos.example.id`,
      name: 'Budi Santoso',
      agency: { id: kabkota, name: 'Dinsos Kota Surabaya' },
      role: 'dinsos_kabkota',
      scope: { regionCode: '35.78', uptCode: null },
      secondFactor: 'not_enrolled',
    });
    const userId = me.body!.userId as string;
    const { rows } = await service.pool.query('SELECT password_hash, oidc_issuer, oidc_subject FROM users WHERE id = $1', [userId]);
    expect(rows).toEqual([{ password_hash: null, oidc_issuer: issuer, oidc_subject: subject }]);
    // The agency's role and scope apply, and the session's CSRF token guards its changes.
    expect((await tab('GET', '/v1/cases')).status).toBe(200);
    expect((await tab('GET', '/v1/sla-policies')).status).toBe(403);
    const signOut = browser(api.baseUrl, first.cookie!, me.body!.csrfToken as string);
    expect((await signOut('DELETE', '/v1/session', { csrf: null })).status).toBe(403);

    // No password to guess: the password sign-in never matches a person created by single sign-on.
    expect(
      (await signIn(api.baseUrl, `${subject}@dinsos.example.id`, 'correct horse battery', { 'x-forwarded-for': newClient() })).status,
    ).toBe(401);

    const second = await signInThroughProvider(subject);
    expect(second.status).toBe(303);
    expect((await browser(api.baseUrl, second.cookie!, null)('GET', '/v1/me')).body).toMatchObject({ userId });
  });

  it('keeps the second-factor rules: a supervisor signed in by the provider must still enrol TOTP', async () => {
    const signedIn = await signInThroughProvider(idpAccount([supervisorGroup]));
    expect(signedIn.status).toBe(303);
    const tab = browser(api.baseUrl, signedIn.cookie!, null);
    expect((await tab('GET', '/v1/me')).body).toMatchObject({ role: 'supervisor', secondFactor: 'enrolment_required' });
    expect((await tab('GET', '/v1/cases')).status).toBe(401);
  });

  it('names the person in the audit trail and the access log for a case opened in a session begun at the provider', async () => {
    const signedIn = await signInThroughProvider(idpAccount([satpolGroup]));
    const me = (await browser(api.baseUrl, signedIn.cookie!, null)('GET', '/v1/me')).body!;
    const tab = browser(api.baseUrl, signedIn.cookie!, me.csrfToken as string);
    const opened = await tab('POST', '/v1/cases', {
      body: { ppksType: 'gelandangan', foundAt: '2026-11-25T10:00:00+07:00', foundRegion: '35.78', person: { sex: 'M' } },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(opened.status).toBe(201);
    const caseNumber = opened.body!.caseNumber as string;
    const audit = await service.pool.query('SELECT action, agency_id, user_id FROM audit_log WHERE case_number = $1', [caseNumber]);
    expect(audit.rows).toEqual([{ action: 'case.intake', agency_id: satpol, user_id: me.userId }]);
    const access = await service.pool.query('SELECT endpoint, agency_id, user_id FROM access_log WHERE case_number = $1', [caseNumber]);
    expect(access.rows).toEqual([{ endpoint: 'POST /v1/cases', agency_id: satpol, user_id: me.userId }]);
  });

  it('moves a person whose group at the provider changed to the new agency at their next sign-in, audited, their other sessions ended', async () => {
    const subject = idpAccount([kabkotaGroup]);
    const before = await signInThroughProvider(subject);
    const earlier = browser(api.baseUrl, before.cookie!, null);
    const userId = (await earlier('GET', '/v1/me')).body!.userId as string;
    accounts.get(subject)!.groups = [otherKabkotaGroup];
    const after = await signInThroughProvider(subject);
    expect(after.status).toBe(303);
    expect((await browser(api.baseUrl, after.cookie!, null)('GET', '/v1/me')).body).toMatchObject({
      userId,
      agency: { id: malang, name: 'Dinsos Kota Malang' },
      scope: { regionCode: '35.73', uptCode: null },
    });
    expect((await earlier('GET', '/v1/me')).status).toBe(401);
    const { rows } = await service.pool.query(
      `SELECT action, agency_id, role, details FROM audit_log WHERE details->>'userId' = $1 ORDER BY seq`,
      [userId],
    );
    expect(rows).toEqual([
      { action: 'user.added', agency_id: kabkota, role: 'identity_provider', details: { userId } },
      { action: 'user.agency_changed', agency_id: malang, role: 'identity_provider', details: { userId } },
    ]);
  });

  it('refuses a person whose groups map to no agency, or to several: 403, no session, no account', async () => {
    for (const groups of [['unrelated-group'], [], [kabkotaGroup, otherKabkotaGroup]]) {
      const subject = idpAccount(groups);
      const refused = await signInThroughProvider(subject);
      expect(refused.status).toBe(403);
      expect(refused.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body!.detail).toMatch(groups.length === 2 ? /several agencies/ : /None of your groups .* is mapped to an agency/);
      expect(refused.cookie).toBeNull();
      expect((await service.pool.query('SELECT 1 FROM users WHERE oidc_subject = $1', [subject])).rowCount).toBe(0);
    }
  });

  it('refuses a callback whose state was tampered with, one from another browser, and one replayed', async () => {
    const subject = idpAccount([kabkotaGroup]);
    const flow = await throughProvider(subject);
    const tampered = new URL(flow.callback);
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
    const refused = await callBack(flow, tampered);
    expect(refused.status).toBe(403);
    expect(refused.cookie).toBeNull();
    // The sign-in it belonged to is used up: the genuine URL now finds nothing either.
    expect((await callBack(flow)).status).toBe(400);

    // A callback URL completed by one browser and opened in another (login CSRF) signs no one in.
    const stolen = await throughProvider(subject);
    const elsewhere = newBrowser(stolen.client);
    const response = await elsewhere.go(stolen.callback, { headers: { 'x-forwarded-for': stolen.client } });
    expect(response.status).toBe(400);
    expect(sessionCookie(response.headers)).toBeNull();
    expect((await service.pool.query('SELECT 1 FROM users WHERE oidc_subject = $1', [subject])).rowCount).toBe(0);
  });

  it('refuses a disabled person, and ends their sessions when they are disabled', async () => {
    const subject = idpAccount([kabkotaGroup]);
    const signedIn = await signInThroughProvider(subject);
    const tab = browser(api.baseUrl, signedIn.cookie!, null);
    const userId = (await tab('GET', '/v1/me')).body!.userId as string;
    await setDisabled(service.pool, userId, true);
    expect((await tab('GET', '/v1/me')).status).toBe(401);
    const refused = await signInThroughProvider(subject);
    expect(refused.status).toBe(403);
    expect(refused.body!.detail).toBe('This account is disabled');
    expect(refused.cookie).toBeNull();
  });

  it('counts failed callbacks per client address: 429 once the limit is reached', async () => {
    const client = newClient();
    const lost = async () =>
      (
        await newBrowser(client).go(new URL(`${api.baseUrl}/v1/session/oidc/callback?code=x&state=y`), {
          headers: { 'x-forwarded-for': client },
        })
      ).status;
    for (let attempt = 0; attempt < limits.perClient; attempt++) expect(await lost()).toBe(400);
    expect(await lost()).toBe(429);
    // Another client is not blocked.
    expect((await signInThroughProvider(idpAccount([kabkotaGroup]))).status).toBe(303);
  });
});

describe('without single sign-on configured', () => {
  it('answers 404 at both endpoints', async () => {
    for (const path of ['/v1/session/oidc', '/v1/session/oidc/callback']) {
      const response = await fetch(`${service.baseUrl}${path}`, { redirect: 'manual' });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/OIDC_ISSUER/);
    }
  });
});
