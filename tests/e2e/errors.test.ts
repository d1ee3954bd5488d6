/** What agencies get for bad requests: problem+json with the right status, and nothing changed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgencyScope, agencyClient, startService, type RunningService } from '../support/service.js';

let service: RunningService;
let satpol: ReturnType<typeof agencyClient>;
let satpolMalang: ReturnType<typeof agencyClient>;
let dukcapil: ReturnType<typeof agencyClient>;
let prov: ReturnType<typeof agencyClient>;
let supervisor: ReturnType<typeof agencyClient>;
let caseNumber: string;

const report = {
  ppksType: 'pengemis',
  foundAt: '2026-11-21T07:00:00+07:00',
  foundRegion: '35.78',
  person: { sex: 'F', estimatedAge: 70 },
};

beforeAll(async () => {
  service = await startService();
  const as = (role: string, scope: AgencyScope = {}) => service.clientFor(`${role} test`, role, scope);
  satpol = await as('satpol_pp', { regionCode: '35.78' });
  satpolMalang = await as('satpol_pp', { regionCode: '35.73' });
  dukcapil = await as('dukcapil');
  prov = await as('dinsos_prov');
  supervisor = await as('supervisor');
  const opened = await satpol.post('/v1/cases', report, { 'Idempotency-Key': `errors-${Date.now()}` });
  caseNumber = opened.body.caseNumber;
});

afterAll(async () => {
  await service?.stop();
});

function expectProblem(
  response: { status: number; contentType: string; body: { status: number; title: string; detail: string } },
  status: number,
) {
  expect(response.status).toBe(status);
  expect(response.contentType).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
}

describe('400 bad input', () => {
  it('names every invalid field of an intake', async () => {
    const response = await satpol.post(
      '/v1/cases',
      { ppksType: 'orang_hilang', foundAt: 'yesterday', foundRegion: '35.99', person: { sex: 'X', nik: '1234' }, extra: 1 },
      { 'Idempotency-Key': `bad-${Date.now()}` },
    );
    expectProblem(response, 400);
    const paths = response.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['ppksType', 'foundAt', 'foundRegion', 'person.sex', 'person.nik']));
    expect(JSON.stringify(response.body)).not.toContain('1234');
  });

  it('requires the Idempotency-Key on intake', async () => {
    const response = await satpol.post('/v1/cases', report);
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([{ path: 'header.Idempotency-Key', message: 'required' }]);
  });

  it('rejects malformed JSON and a NIK that is not well-formed', async () => {
    expectProblem(
      await satpol.raw('POST', '/v1/cases', '{"ppksType":', { 'content-type': 'application/json', 'idempotency-key': 'x' }),
      400,
    );
    const badDate = await dukcapil.post(`/v1/cases/${caseNumber}/identification`, { outcome: 'matched', nik: '3578019913800001' });
    expectProblem(badDate, 400);
    expect(badDate.body.errors[0].path).toBe('nik');
  });

  it('refuses an oversized body with 413 and a body that is not JSON with 400', async () => {
    const huge = await satpol.post('/v1/cases', { ...report, notes: 'x'.repeat(70_000) }, { 'Idempotency-Key': `huge-${Date.now()}` });
    expectProblem(huge, 413);
    const text = await satpol.raw('POST', '/v1/cases', 'ppksType=gelandangan', {
      'content-type': 'text/plain',
      'idempotency-key': `text-${Date.now()}`,
    });
    expectProblem(text, 400);
    expect(text.body.errors).toEqual([{ path: 'body', message: expect.any(String) }]);
  });

  it('requires the NIK when identification matched, and validates list queries', async () => {
    const response = await dukcapil.post(`/v1/cases/${caseNumber}/identification`, { outcome: 'matched' });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([{ path: 'nik', message: 'required when outcome is matched' }]);
    const list = await supervisor.get('/v1/cases?stage=lost&page=0');
    expectProblem(list, 400);
    expect(list.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.stage', 'query.page']);
  });
});

describe('401 and 403', () => {
  it('refuses a missing or unknown key', async () => {
    expectProblem(await agencyClient(service.baseUrl, null).get(`/v1/cases/${caseNumber}`), 401);
    expectProblem(await agencyClient(service.baseUrl, 'ppks_not-a-key').get(`/v1/cases/${caseNumber}`), 401);
  });

  it('refuses a role that may not post the step, and an agency outside its region', async () => {
    expectProblem(await satpol.post(`/v1/cases/${caseNumber}/identification`, { outcome: 'not_matched' }), 403);
    expectProblem(await satpolMalang.get(`/v1/cases/${caseNumber}`), 403);
    expectProblem(await satpolMalang.post('/v1/cases', report, { 'Idempotency-Key': `malang-${Date.now()}` }), 403);
    expectProblem(await prov.put('/v1/sla-policies/follow_up', {}), 403);
  });
});

describe('404 and 409', () => {
  it('does not know a case that was never opened', async () => {
    expectProblem(await supervisor.get('/v1/cases/3578-1999-999999'), 404);
    expectProblem(await supervisor.get('/v1/cases/not-a-case'), 404);
    expectProblem(await dukcapil.post('/v1/cases/3578-1999-999999/identification', { outcome: 'not_matched' }), 404);
  });

  it('rejects a step that is not valid in the current stage, and changes nothing', async () => {
    const before = await supervisor.get(`/v1/cases/${caseNumber}`);
    const response = await prov.post(`/v1/cases/${caseNumber}/repatriation/departure`, {});
    expectProblem(response, 409);
    expect(response.body.detail).toContain('identification');
    const after = await supervisor.get(`/v1/cases/${caseNumber}`);
    expect(after.body).toEqual(before.body);
  });
});

describe('SLA policies', () => {
  it('lets a supervisor change a policy, validating durations', async () => {
    const bad = await supervisor.put('/v1/sla-policies/follow_up', { duration: 'P1M', calendar: 'working_days' });
    expectProblem(bad, 400);
    expect(bad.body.errors[0].path).toBe('duration');
    expectProblem(await supervisor.put('/v1/sla-policies/lunch', { duration: 'P1D', calendar: 'continuous' }), 400);
    const before = (await supervisor.get('/v1/sla-policies')).body.items.find((p: { step: string }) => p.step === 'follow_up');
    const changed = await supervisor.put('/v1/sla-policies/follow_up', { duration: before.duration, calendar: before.calendar });
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(before.version + 1);
  });
});

describe('the contract', () => {
  it('serves the OpenAPI document generated from the schemas, and the docs page', async () => {
    const document = await agencyClient(service.baseUrl, null).get('/openapi.json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/cases',
        '/v1/cases/{caseNumber}',
        '/v1/cases/{caseNumber}/identification',
        '/v1/cases/{caseNumber}/follow-ups',
        '/v1/alerts',
        '/v1/upts',
        '/v1/sla-policies/{step}',
      ]),
    );
    expect(document.body.components.schemas.IntakeReport.required).toEqual(
      expect.arrayContaining(['ppksType', 'foundAt', 'foundRegion', 'person']),
    );
    const docs = await fetch(`${service.baseUrl}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
    expect((await fetch(`${service.baseUrl}/readyz`)).status).toBe(200);
  });
});
