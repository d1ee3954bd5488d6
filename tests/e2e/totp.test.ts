/**
 * The TOTP second factor over the real HTTP API and PostgreSQL (issue 15): supervisors enrol at
 * their first sign-in and reach nothing else until then, later sign-ins need a code or a
 * recovery code (each usable once), wrong codes count in the limiter of failed sign-ins, others
 * may enrol, and after an operator's reset of a lost device the person enrols again. Codes are
 * computed with otplib from the secret the enrolment returns, as an authenticator app would.
 * Clients are told apart by X-Forwarded-For (documentation addresses, 203.0.113.0/24: header
 * values only, no traffic goes there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetTotp } from '../../api/users.js';
import { browser, enrolTotp, personIn, sessionCookie, signIn, totpCode } from '../support/people.js';
import { agencyClient, startService, type RunningService } from '../support/service.js';

const limits = { perClient: 20, perKey: 3, windowSeconds: 600 };
let service: RunningService;
let clientNumber = 0;
const newClient = () => `203.0.113.${++clientNumber}`;

beforeAll(async () => {
  service = await startService({ authFailureLimits: limits, trustProxy: 'loopback' });
});
afterAll(async () => {
  await service?.stop();
});

/** Signs in with the password: the tab (its cookie and CSRF token) and the answer. */
async function signedIn(person: { email: string; password: string }, client = newClient()) {
  const answer = await signIn(service.baseUrl, person.email, person.password, { 'x-forwarded-for': client });
  expect(answer.status).toBe(201);
  const tab = browser(service.baseUrl, answer.cookie!, answer.body!.csrfToken as string);
  return {
    answer,
    tab: (method: string, route: string, body?: unknown) => tab(method, route, { body, headers: { 'x-forwarded-for': client } }),
  };
}

/** Six digits that are not the code of the step before, of now, or after: a wrong code whatever the clock does. */
async function wrongCode(secret: string): Promise<string> {
  const valid = new Set(await Promise.all([-1, 0, 1, 2].map((step) => totpCode(secret, step))));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

const auditActions = async (userId: string) =>
  (
    await service.pool.query<{ action: string; user_id: string | null; role: string }>(
      `SELECT action, user_id, role FROM audit_log WHERE details->>'userId' = $1 ORDER BY seq`,
      [userId],
    )
  ).rows;

describe('enrolment on first sign-in', () => {
  it('a supervisor must enrol before anything else; a bad code is refused; the secret is stored sealed, the recovery codes hashed', async () => {
    const person = await personIn(service, 'supervisor');
    const { answer, tab } = await signedIn(person);
    expect(answer.body).toMatchObject({ userId: person.userId, role: 'supervisor', secondFactor: 'enrolment_required' });

    const cases = await tab('GET', '/v1/cases');
    expect(cases.status).toBe(401);
    expect(cases.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(cases.body).toMatchObject({ status: 401, detail: expect.stringContaining('second factor') });
    expect((await tab('GET', '/v1/me')).body).toMatchObject({ secondFactor: 'enrolment_required' });
    // Nothing to verify yet.
    expect((await tab('POST', '/v1/session/totp', { code: '123456' })).status).toBe(409);
    // The CSRF rules hold: a state change without the token is refused.
    const bare = await browser(service.baseUrl, answer.cookie!, null)('POST', '/v1/session/totp/enrolment');
    expect(bare.status).toBe(403);

    const started = await tab('POST', '/v1/session/totp/enrolment');
    expect(started.status).toBe(200);
    const secret = started.body!.secret as string;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.body!.otpauthUri).toMatch(/^otpauth:\/\/totp\/.+\?.*secret=[A-Z2-7]{32}/);
    expect(started.body!.otpauthUri).toContain(`secret=${secret}`);
    const { rows: stored } = await service.pool.query<{ ciphertext: Buffer; key_id: string; enrolled_at: Date | null }>(
      'SELECT totp_secret_ciphertext AS ciphertext, totp_secret_key_id AS key_id, totp_enrolled_at AS enrolled_at FROM users WHERE id = $1',
      [person.userId],
    );
    expect(stored[0]!.ciphertext.toString('latin1')).not.toContain(secret);
    expect(stored[0]!.key_id).toEqual(expect.any(String));
    expect(stored[0]!.enrolled_at).toBeNull();

    const malformed = await tab('POST', '/v1/session/totp/enrolment/confirm', { code: 'abc' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ errors: [expect.objectContaining({ path: 'code' })] });
    const bad = await tab('POST', '/v1/session/totp/enrolment/confirm', { code: await wrongCode(secret) });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ detail: expect.stringContaining('code is wrong') });
    expect((await tab('GET', '/v1/cases')).status).toBe(401);

    const confirmed = await tab('POST', '/v1/session/totp/enrolment/confirm', { code: await totpCode(secret) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ userId: person.userId, secondFactor: 'verified' });
    const codes = confirmed.body!.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await tab('GET', '/v1/cases')).status).toBe(200);
    expect((await tab('GET', '/v1/me')).body).toMatchObject({ secondFactor: 'verified' });
    // The session went on under a new token: the one from before the second factor is worth nothing (session fixation).
    expect(sessionCookie(confirmed.headers)).not.toBe(answer.cookie);
    expect((await browser(service.baseUrl, answer.cookie!, answer.body!.csrfToken as string)('GET', '/v1/me')).status).toBe(401);
    // Enrolled once: starting again is refused (a lost device is the operator's reset).
    expect((await tab('POST', '/v1/session/totp/enrolment')).status).toBe(409);

    const { rows: hashes } = await service.pool.query<{ code_hash: string }>('SELECT code_hash FROM recovery_codes WHERE user_id = $1', [
      person.userId,
    ]);
    expect(hashes).toHaveLength(10);
    for (const code of codes) expect(hashes.map((row) => row.code_hash).join()).not.toContain(code.replace(/-/g, ''));
    expect(await auditActions(person.userId)).toContainEqual({ action: 'user.totp_enrolled', user_id: person.userId, role: 'supervisor' });
  });

  it('an API key has no second factor to enrol', async () => {
    const person = await personIn(service, 'auditor');
    const answer = await agencyClient(service.baseUrl, person.apiKey).raw('POST', '/v1/session/totp/enrolment');
    expect(answer.status).toBe(400);
  });
});

describe('signing in with a second factor', () => {
  async function enrolledAuditor() {
    const person = await personIn(service, 'auditor');
    const { tab } = await signedIn(person);
    return { person, ...(await enrolTotp(tab)) };
  }

  it('asks for the code at every sign-in; a code is accepted once within its window', async () => {
    const { person, secret } = await enrolledAuditor();
    const first = await signedIn(person);
    expect(first.answer.body).toMatchObject({ secondFactor: 'required' });
    expect((await first.tab('GET', '/v1/cases')).status).toBe(401);
    // The next step's code: the one of this step was used by the enrolment.
    const code = await totpCode(secret, 1);
    const passed = await first.tab('POST', '/v1/session/totp', { code });
    expect(passed.status).toBe(200);
    expect(passed.body).toMatchObject({ userId: person.userId, secondFactor: 'verified' });
    expect((await first.tab('GET', '/v1/cases')).status).toBe(200);

    const second = await signedIn(person);
    expect((await second.tab('POST', '/v1/session/totp', { code })).status).toBe(401);
    // An old code (from before the last accepted step) is refused as well.
    expect((await second.tab('POST', '/v1/session/totp', { code: await totpCode(secret, -1) })).status).toBe(401);
    expect((await second.tab('GET', '/v1/cases')).status).toBe(401);
    // Either a code or a recovery code, not both.
    const both = await second.tab('POST', '/v1/session/totp', { code, recoveryCode: 'x' });
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ errors: [expect.objectContaining({ path: 'code' })] });
  });

  it('a secret sealed under an older payload key is sealed again under the current one when used', async () => {
    const { person, secret } = await enrolledAuditor();
    const stored = async () =>
      (
        await service.pool.query<{ ciphertext: Buffer; key_id: string }>(
          'SELECT totp_secret_ciphertext AS ciphertext, totp_secret_key_id AS key_id FROM users WHERE id = $1',
          [person.userId],
        )
      ).rows[0]!;
    const before = await stored();
    // As after a rotation: the row names a key that is no longer current.
    await service.pool.query(`UPDATE users SET totp_secret_key_id = 'rotated-out' WHERE id = $1`, [person.userId]);
    const { tab } = await signedIn(person);
    const code = await totpCode(secret, 1);
    expect((await tab('POST', '/v1/session/totp', { code })).status).toBe(200);
    const after = await stored();
    expect(after.key_id).toBe(before.key_id);
    expect(after.ciphertext.equals(before.ciphertext)).toBe(false);
    // The new sealing opens (the code's step forgotten, so that it is not a replay).
    await service.pool.query('UPDATE users SET totp_last_step = NULL WHERE id = $1', [person.userId]);
    const later = await signedIn(person);
    expect((await later.tab('POST', '/v1/session/totp', { code })).status).toBe(200);
  });

  it('a recovery code works once, typed in any case', async () => {
    const { person, recoveryCodes } = await enrolledAuditor();
    const first = await signedIn(person);
    expect((await first.tab('POST', '/v1/session/totp', { recoveryCode: recoveryCodes[0] })).status).toBe(200);
    expect((await first.tab('GET', '/v1/cases')).status).toBe(200);

    const second = await signedIn(person);
    const again = await second.tab('POST', '/v1/session/totp', { recoveryCode: recoveryCodes[0] });
    expect(again.status).toBe(401);
    expect((await second.tab('GET', '/v1/cases')).status).toBe(401);
    expect((await second.tab('POST', '/v1/session/totp', { recoveryCode: recoveryCodes[1]!.toUpperCase() })).status).toBe(200);
    const { rows } = await service.pool.query('SELECT 1 FROM recovery_codes WHERE user_id = $1 AND used_at IS NOT NULL', [person.userId]);
    expect(rows).toHaveLength(2);
  });

  it('wrong codes count as failed sign-ins: 429 for the account after the limit, the right code and the password included', async () => {
    const { person, secret } = await enrolledAuditor();
    const { tab } = await signedIn(person);
    for (let attempt = 0; attempt < limits.perKey; attempt++) {
      expect((await tab('POST', '/v1/session/totp', { code: await wrongCode(secret) })).status).toBe(401);
    }
    const blocked = await tab('POST', '/v1/session/totp', { code: await totpCode(secret, 1) });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body).toMatchObject({ status: 429 });
    expect((await tab('GET', '/v1/cases')).status).toBe(401);
    const password = await signIn(service.baseUrl, person.email, person.password, { 'x-forwarded-for': newClient() });
    expect(password.status).toBe(429);
  });
});

describe('optional enrolment', () => {
  it('a satpol_pp person works without a second factor, may enrol from a full session, and is asked for it from then on', async () => {
    const person = await personIn(service, 'satpol_pp', { regionCode: '35.78' });
    const { answer, tab } = await signedIn(person);
    expect(answer.body).toMatchObject({ secondFactor: 'not_enrolled' });
    expect((await tab('GET', '/v1/cases')).status).toBe(200);
    expect((await tab('POST', '/v1/session/totp', { code: '123456' })).status).toBe(409);

    const started = await tab('POST', '/v1/session/totp/enrolment');
    expect(started.status).toBe(200);
    // Not confirmed yet: sign-in still needs no second factor.
    expect((await signedIn(person)).answer.body).toMatchObject({ secondFactor: 'not_enrolled' });
    const secret = started.body!.secret as string;
    const confirmed = await tab('POST', '/v1/session/totp/enrolment/confirm', { code: await totpCode(secret) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ secondFactor: 'verified', recoveryCodes: expect.any(Array) });
    expect((await tab('GET', '/v1/cases')).status).toBe(200);

    const later = await signedIn(person);
    expect(later.answer.body).toMatchObject({ secondFactor: 'required' });
    expect((await later.tab('GET', '/v1/cases')).status).toBe(401);
    expect((await later.tab('POST', '/v1/session/totp', { code: await totpCode(secret, 1) })).status).toBe(200);
    expect((await later.tab('GET', '/v1/cases')).status).toBe(200);
  });
});

describe('after a reset of the second factor (npm run user -- reset-totp)', () => {
  // The command itself, as a process, is tested in tests/e2e/user-command.test.ts: processes that
  // prepare the database must not run in two test files at once. This is what it calls.
  it('the sessions have ended, the old recovery codes are dead, the person enrols again at the next sign-in', async () => {
    const person = await personIn(service, 'supervisor');
    const { tab } = await signedIn(person);
    const { recoveryCodes } = await enrolTotp(tab);
    expect((await tab('GET', '/v1/cases')).status).toBe(200);

    expect(await resetTotp(service.pool, person.email.toUpperCase())).toBe(person.userId);
    expect((await tab('GET', '/v1/me')).status).toBe(401);
    expect(await auditActions(person.userId)).toContainEqual({ action: 'user.totp_reset', user_id: null, role: 'operator' });

    const again = await signedIn(person);
    expect(again.answer.body).toMatchObject({ secondFactor: 'enrolment_required' });
    expect((await again.tab('GET', '/v1/cases')).status).toBe(401);
    expect((await again.tab('POST', '/v1/session/totp', { recoveryCode: recoveryCodes[2] })).status).toBe(409);
    await enrolTotp(again.tab);
    const next = await signedIn(person);
    expect((await next.tab('POST', '/v1/session/totp', { recoveryCode: recoveryCodes[2] })).status).toBe(401);
  });
});
