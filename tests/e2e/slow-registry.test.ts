/**
 * Idempotency and slow dependencies at the edges: a step accepted while the registry is slow
 * answers 202 (never 503), naming the case and when to look, and the case moves on by itself;
 * racing requests with one key and different bodies get one 200 and one 409; a case number
 * already held in Temporal by another request is never shown to a new intake.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CivilRegistry } from '../../activities/civil-registry/registry.js';
import { openCaseWorkflow } from '../../api/case-workflows.js';
import { HttpProblem } from '../../api/problem.js';
import { openCase } from '../support/cases.js';
import { agencyClient, eventually, startService, type RunningService } from '../support/service.js';

/** The national registry, answering only when the test lets it: a true external system, faked behind its interface. */
let answerRegistry: () => void = () => {};
const slowRegistry: CivilRegistry = {
  async findDomicile() {
    await new Promise<void>((resolve) => (answerRegistry = resolve));
    return { regionCode: '35.09', address: null };
  },
};

let service: RunningService;
let satpol: ReturnType<typeof agencyClient>;
let dukcapil: ReturnType<typeof agencyClient>;

beforeAll(async () => {
  service = await startService({ registry: slowRegistry, temporalDeadlineMs: 4000 });
  satpol = agencyClient(service.baseUrl, await service.keyFor({ name: 'Satpol PP slow', role: 'satpol_pp', regionCode: '35.78' }));
  dukcapil = agencyClient(service.baseUrl, await service.keyFor({ name: 'Dukcapil slow', role: 'dukcapil' }));
});

afterAll(async () => {
  answerRegistry(); // a failed test must not leave the worker waiting on the registry at shutdown
  await service?.stop();
});

const newCase = async () => (await openCase(satpol, {}, `slow-${randomUUID()}`)).caseNumber;

it('answers 202 for a step accepted while the registry is slow, and the case moves on', async () => {
  const n = await newCase();
  const response = await dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'matched', nik: '3509010101800005' });
  expect(response.status).toBe(202);
  // Where to read the outcome, and when to look (as the OpenAPI document says).
  expect([response.headers.get('location'), response.headers.get('retry-after')]).toEqual([`/v1/cases/${n}`, '5']);
  expect(response.body.steps.at(-1)).toMatchObject({ stage: 'identification', outcome: 'matched' });
  answerRegistry();
  await eventually(async () => {
    const view = await agencyClient(service.baseUrl, await service.keyFor({ name: 'sup', role: 'supervisor' })).get(`/v1/cases/${n}`);
    expect(view.body).toMatchObject({ stage: 'repatriation', homeRegion: '35.09' });
  });
});

it('gives one of two racing requests with the same key and different bodies a 409', async () => {
  const n = await newCase();
  const key = `race-${randomUUID()}`;
  const [a, b] = await Promise.all([
    dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' }, { 'Idempotency-Key': key }),
    dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_possible' }, { 'Idempotency-Key': key }),
  ]);
  expect([a.status, b.status].sort()).toEqual([200, 409]);
});

it('refuses to open a case whose number Temporal already holds for another intake', async () => {
  const n = await newCase();
  const reportedBy = { agencyId: 'agency-x', role: 'satpol_pp' as const, regionCode: '35.78', uptCode: null };
  const attempt = openCaseWorkflow(
    service.temporal,
    service.taskQueue,
    {
      caseNumber: n,
      report: {
        ppksType: 'pengemis',
        foundAt: '2026-11-25T10:00:00+07:00',
        foundRegion: '35.78',
        person: { sex: 'F', name: 'Other person' },
      },
      reportedBy,
      requestHash: 'another-request',
    },
    'another-key',
    'request-id-test',
  );
  await expect(attempt).rejects.toBeInstanceOf(HttpProblem);
  await expect(attempt).rejects.toMatchObject({ status: 409 });
});
