/**
 * Hostile input, property-based (fast-check): 20,000 generated and mutated bodies,
 * headers, query strings and paths against every endpoint. Never a 5xx; afterwards every case
 * holds exactly the intake and the steps the API accepted, and nothing it refused.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntakeReport } from '../../domain/schemas.js';
import { STAGES } from '../../domain/case.js';
import type { CaseView } from '../../domain/case-view.js';
import { openCase } from '../support/cases.js';
import { type Probe, hostileProbe } from '../support/hostile-requests.js';
import { agencyClient, eventually, startService, type RunningService } from '../support/service.js';

const REQUESTS = Number(process.env.HOSTILE_INPUT_RUNS ?? 20_000);

let service: RunningService;
let keys: string[];
let seededCases: string[];

interface Answer {
  probe: Probe;
  status: number;
  body: unknown;
}
const answers: Answer[] = [];

/** Sent with node:http, which passes on header values that fetch would refuse to send. */
async function send(p: Probe): Promise<Answer> {
  const { status, text, contentType } = await new Promise<{ status: number; text: string; contentType: string }>((resolve, reject) => {
    const request = http.request(
      `${service.baseUrl}${p.path}${p.query ? `?${p.query}` : ''}`,
      { method: p.method, headers: p.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            text: Buffer.concat(chunks).toString('utf8'),
            contentType: response.headers['content-type'] ?? '',
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(p.method === 'GET' || p.method === 'OPTIONS' ? undefined : p.body);
  });
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // an empty or non-JSON answer is judged by its status and content type
  }
  if (status >= 400) expect(contentType, `${p.method} ${p.path} -> ${status}`).toMatch(/^application\/problem\+json/);
  return { probe: p, status, body };
}

beforeAll(async () => {
  service = await startService({ authFailureLimits: { perClient: 1_000_000, perKey: 1_000_000, windowSeconds: 60 } });
  const register = (name: string, role: string, scope: { regionCode?: string; uptCode?: string } = {}) =>
    service.keyFor({ name, role, ...scope });
  keys = [
    await register('Satpol PP Surabaya', 'satpol_pp', { regionCode: '35.78' }),
    await register('Dinsos Surabaya', 'dinsos_kabkota', { regionCode: '35.78' }),
    await register('Dukcapil', 'dukcapil'),
    await register('Dinsos Jatim', 'dinsos_prov'),
    await register('Balai Sidoarjo', 'upt', { uptCode: 'balai_prs_pmks_sidoarjo' }),
    await register('Supervisor', 'supervisor'),
    await register('Auditor', 'auditor'),
  ];
  const satpol = agencyClient(service.baseUrl, keys[0]!);
  seededCases = [];
  for (let i = 0; i < 4; i++)
    seededCases.push((await openCase(satpol, { ppksType: 'pemulung', foundAt: '2026-11-20T21:15:00+07:00' })).caseNumber);
}, 120_000);

afterAll(async () => {
  await service?.stop();
});

describe('hostile input', () => {
  it(`never gets a 5xx (${REQUESTS} generated requests)`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileProbe(keys, seededCases), async (p) => {
        const answer = await send(p);
        answers.push(answer);
        expect(
          answer.status,
          `${p.method} ${p.path.slice(0, 80)} -> ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`,
        ).toBeLessThan(500);
      }),
      { numRuns: REQUESTS, endOnFailure: true },
    );
    expect(answers.some((answer) => answer.status < 300 && answer.probe.action === 'step')).toBe(true);
    expect(answers.some((answer) => answer.status === 201)).toBe(true);
  }, 600_000);

  it('stored every accepted intake exactly as accepted, and no refused one', async () => {
    const supervisor = agencyClient(service.baseUrl, keys[5]!);
    const intakes = answers.filter((answer) => answer.probe.action === 'intake');
    for (const answer of intakes.filter((a) => a.status === 200 || a.status === 201)) {
      // What the contract accepted: the body as the schema normalizes it (free text is trimmed).
      const sent = IntakeReport.parse(JSON.parse(answer.probe.body!));
      const accepted = answer.body as CaseView;
      expect({ ppksType: accepted.ppksType, foundRegion: accepted.foundRegion, person: accepted.person }).toEqual({
        ppksType: sent.ppksType,
        foundRegion: sent.foundRegion,
        person: sent.person,
      });
      const stored = (await supervisor.get(`/v1/cases/${accepted.caseNumber}`)).body as CaseView;
      expect(stored.person?.name).toBe(sent.person.name);
      expect(stored.steps[0]).toEqual(accepted.steps[0]);
    }
    const refusedKeys = intakes
      .filter((a) => a.status >= 400 && a.probe.headers['idempotency-key'])
      .map((a) => a.probe.headers['idempotency-key']);
    const { rows } = await service.pool.query('SELECT count(*)::int AS n FROM intake_requests WHERE idempotency_key = ANY($1)', [
      refusedKeys,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('left every case in a state the contract allows, holding exactly the steps accepted', async () => {
    const supervisor = agencyClient(service.baseUrl, keys[5]!);
    for (const n of seededCases) {
      const accepted = answers.filter(
        (a) => a.probe.action === 'step' && a.probe.caseNumber === n && (a.status === 200 || a.status === 202),
      );
      const distinct = new Set(accepted.map((a) => a.probe.headers['idempotency-key'] ?? randomUUID()));
      const view = (await supervisor.get(`/v1/cases/${n}`)).body as CaseView;
      expect(STAGES).toContain(view.stage);
      expect(view.status === 'closed').toBe(view.stage === 'closed');
      const agencySteps = view.steps.filter((step) => step.stage !== 'intake' && step.by !== 'system');
      expect(agencySteps).toHaveLength(distinct.size);
      const audit = (await supervisor.get(`/v1/cases/${n}/audit`)).body.items as { action: string }[];
      // The case's steps only: an alert of the case acknowledged by a probe is in its trail too.
      const steps = audit.map((entry) => entry.action).filter((action) => action.startsWith('case.') && action !== 'case.intake');
      expect(steps).toHaveLength(distinct.size);
      await eventually(async () => {
        const { rows } = await service.pool.query('SELECT stage, status FROM cases WHERE case_number = $1', [n]);
        expect(rows[0]).toEqual({ stage: view.stage, status: view.status });
      });
    }
  });
});
