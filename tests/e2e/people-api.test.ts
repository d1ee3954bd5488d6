/**
 * Supervisors managing the people of any agency over the API (issue 15): adding a person who then
 * signs in with the password shown once, disabling (their live session refused on its next
 * request), enabling, resetting the password and the second factor; every other role refused; bad
 * and taken emails answered naming the field; each change in the audit trail under the acting
 * agency and person. Real HTTP, real PostgreSQL, the same functions as `npm run user`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgency } from '../../api/agencies.js';
import { agencyForKey } from '../../api/auth.js';
import { verifyAuditTrail } from '../../audit/verify.js';
import { browser, enrolTotp, personIn, signIn } from '../support/people.js';
import { agencyClient, startService, type AgencyClient, type RunningService } from '../support/service.js';

let service: RunningService;
let supervisor: AgencyClient;
let supervisorAgency: string;
let kabkota: string;

const newEmail = () => `Wulan.${randomUUID()}@Jember.example.id`;

beforeAll(async () => {
  service = await startService();
  const key = await service.keyFor({ name: 'Dinsos Jatim supervisor', role: 'supervisor' });
  supervisor = agencyClient(service.baseUrl, key);
  supervisorAgency = (await agencyForKey(service.pool, key))!.agencyId;
  kabkota = (await addAgency(service.pool, { name: 'Dinsos Kabupaten Jember', role: 'dinsos_kabkota', regionCode: '35.09' })).agencyId;
});
afterAll(async () => {
  await service?.stop();
});

const auditOf = async (userId: string) =>
  (
    await service.pool.query(
      `SELECT action, agency_id, role, user_id, details, request_id IS NOT NULL AS "hasRequestId"
       FROM audit_log WHERE details->>'userId' = $1 ORDER BY seq`,
      [userId],
    )
  ).rows;

describe('supervisors managing people over the API', () => {
  it('add a person who signs in; disable ends their live session, enable lets them back, a password reset retires the old one', async () => {
    const email = newEmail();
    const added = await supervisor.post(`/v1/agencies/${kabkota}/people`, { name: 'Wulan Sari', email });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ userId: expect.stringMatching(/^user_/), email, password: expect.any(String) });
    const { userId, password } = added.body as { userId: string; password: string };

    const listed = await supervisor.get(`/v1/agencies/${kabkota}/people`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual({
      userId,
      email,
      name: 'Wulan Sari',
      disabled: false,
      secondFactorEnrolled: false,
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(listed.body)).not.toMatch(/argon2|password|totp|secret/i);

    const first = await signIn(service.baseUrl, email, password);
    expect(first.status).toBe(201);
    const tab = browser(service.baseUrl, first.cookie!, first.body!.csrfToken as string);
    expect((await tab('GET', '/v1/me')).body).toMatchObject({ userId, role: 'dinsos_kabkota' });

    expect(await supervisor.post(`/v1/people/${userId}/disable`)).toMatchObject({ status: 200, body: { userId, disabled: true } });
    expect((await tab('GET', '/v1/me')).status).toBe(401);
    expect((await signIn(service.baseUrl, email, password)).status).toBe(401);
    expect((await supervisor.get(`/v1/agencies/${kabkota}/people`)).body.items).toContainEqual(
      expect.objectContaining({ userId, disabled: true }),
    );

    expect(await supervisor.post(`/v1/people/${userId}/enable`)).toMatchObject({ status: 200, body: { userId, disabled: false } });
    const again = await signIn(service.baseUrl, email, password);
    expect(again.status).toBe(201);
    const againTab = browser(service.baseUrl, again.cookie!, again.body!.csrfToken as string);

    const reset = await supervisor.post(`/v1/people/${userId}/reset-password`);
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ userId, email, password: expect.any(String) });
    expect(reset.body.password).not.toBe(password);
    expect((await againTab('GET', '/v1/me')).status).toBe(401);
    expect((await signIn(service.baseUrl, email, password)).status).toBe(401);
    expect((await signIn(service.baseUrl, email, reset.body.password)).status).toBe(201);

    expect(await supervisor.post(`/v1/people/${userId}/reset-totp`)).toMatchObject({
      status: 200,
      body: { userId, secondFactor: 'reset' },
    });

    const expected = (action: string) => ({
      action,
      agency_id: supervisorAgency,
      role: 'supervisor',
      user_id: null,
      details: { userId, agencyId: kabkota },
      hasRequestId: true,
    });
    expect(await auditOf(userId)).toEqual(
      ['user.added', 'user.disabled', 'user.enabled', 'user.password_reset', 'user.totp_reset'].map(expected),
    );
    expect(await verifyAuditTrail(service.pool)).toMatchObject({ intact: true });
  });

  it('a supervisor signed in, past the second factor, acts as themselves: the audit trail names them', async () => {
    const person = await personIn(service, 'supervisor');
    const { cookie, body } = await signIn(service.baseUrl, person.email, person.password);
    const tab = browser(service.baseUrl, cookie!, body!.csrfToken as string);
    const newPerson = () => ({ body: { name: 'Rina Wati', email: newEmail() } });
    // Before the second factor: refused by the gate.
    expect((await tab('POST', `/v1/agencies/${kabkota}/people`, newPerson())).status).toBe(401);
    await enrolTotp((method, path, payload) => tab(method, path, { body: payload }));
    // A cookie request without the CSRF token is refused, with it accepted.
    expect((await tab('POST', `/v1/agencies/${kabkota}/people`, { ...newPerson(), csrf: null })).status).toBe(403);
    const added = await tab('POST', `/v1/agencies/${kabkota}/people`, newPerson());
    expect(added.status).toBe(201);
    expect(await auditOf(added.body!.userId as string)).toEqual([
      expect.objectContaining({ action: 'user.added', agency_id: person.agencyId, role: 'supervisor', user_id: person.userId }),
    ]);
  });

  it('answers a bad email 400 and a taken one 409, naming `email`; an unknown person or agency 404', async () => {
    const bad = await supervisor.post(`/v1/agencies/${kabkota}/people`, { name: 'Wulan Sari', email: 'not-an-email' });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toMatch(/application\/problem\+json/);
    expect(bad.body.errors).toEqual([{ path: 'email', message: expect.any(String) }]);

    const email = newEmail();
    expect((await supervisor.post(`/v1/agencies/${kabkota}/people`, { name: 'Wulan Sari', email })).status).toBe(201);
    const taken = await supervisor.post(`/v1/agencies/${kabkota}/people`, { name: 'Another', email: email.toLowerCase() });
    expect(taken.status).toBe(409);
    expect(taken.contentType).toMatch(/application\/problem\+json/);
    expect(taken.body.errors).toEqual([{ path: 'email', message: expect.any(String) }]);
    expect(JSON.stringify(taken.body)).not.toContain(email.toLowerCase());

    expect((await supervisor.post('/v1/agencies/agency_nope/people', { name: 'Wulan Sari', email: newEmail() })).status).toBe(404);
    expect((await supervisor.get('/v1/agencies/agency_nope/people')).status).toBe(404);
    expect((await supervisor.post(`/v1/people/user_${randomUUID()}/disable`)).status).toBe(404);
    const byEmail = await supervisor.post(`/v1/people/${encodeURIComponent(email)}/disable`);
    expect(byEmail.status).toBe(400);
    expect(byEmail.body.errors).toEqual([{ path: 'path', message: expect.any(String) }]);
  });

  it('refuses a satpol_pp agency (403) on every one of them', async () => {
    const satpol = await service.clientFor('Satpol PP Jember', 'satpol_pp', { regionCode: '35.09' });
    const target = await personIn(service, 'dinsos_kabkota', { regionCode: '35.09' });
    const answers = [
      await satpol.get(`/v1/agencies/${kabkota}/people`),
      await satpol.post(`/v1/agencies/${kabkota}/people`, { name: 'Wulan Sari', email: newEmail() }),
      ...(await Promise.all(
        ['disable', 'enable', 'reset-password', 'reset-totp'].map((change) => satpol.post(`/v1/people/${target.userId}/${change}`)),
      )),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(await auditOf(target.userId)).toEqual([expect.objectContaining({ action: 'user.added', role: 'operator' })]);
    expect((await signIn(service.baseUrl, target.email, target.password)).status).toBe(201);
  });
});
