/**
 * Hostile input, property-based (fast-check): 20,000 generated and mutated bodies,
 * headers, query strings and paths against every endpoint. Never a 5xx; afterwards every case
 * holds exactly the intake and the steps the API accepted, and nothing it refused.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgency } from '../../api/agencies.js';
import { IntakeReport } from '../../domain/schemas.js';
import { STAGES } from '../../domain/case.js';
import type { CaseView } from '../../domain/case-view.js';
import { openCase, postStep } from '../support/cases.js';
import { type Probe, hostileProbe } from '../support/hostile-requests.js';
import { agencyClient, eventually, startService, type RunningService } from '../support/service.js';

const REQUESTS = Number(process.env.HOSTILE_INPUT_RUNS ?? 20_000);
/** A step answers in well under a second; the API's own Temporal deadline is 10 s. */
const REQUEST_TIMEOUT_MS = 15_000;

let service: RunningService;
let keys: string[];
/** The agencies of `keys`: other test files share the database and Temporal, and a supervisor's SLA policy rollout there adds its own step to these cases too. */
const probingAgencies = new Set<string>();
let seededCases: string[];
/** Per seeded case, the agency steps and case audit entries it had before the probes. */
const seeded = new Map<string, { steps: number; audited: number }>();

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
    // One request that hangs fails the run at once, naming itself, instead of burning the test's timeout.
    request.setTimeout(REQUEST_TIMEOUT_MS, () =>
      request.destroy(new Error(`${p.method} ${p.path.slice(0, 80)}: no answer in ${REQUEST_TIMEOUT_MS} ms`)),
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
  const register = async (name: string, role: string, scope: { regionCode?: string; uptCode?: string } = {}) => {
    const { agencyId, apiKey } = await addAgency(service.pool, { name, role, ...scope });
    probingAgencies.add(agencyId);
    return apiKey;
  };
  keys = [
    await register('Satpol PP Surabaya', 'satpol_pp', { regionCode: '35.78' }),
    await register('Dinsos Surabaya', 'dinsos_kabkota', { regionCode: '35.78' }),
    await register('Dukcapil', 'dukcapil'),
    await register('Dinsos Jatim', 'dinsos_prov'),
    await register('Balai Sidoarjo', 'upt', { uptCode: 'balai_prs_pmks_sidoarjo' }),
    await register('Supervisor', 'supervisor'),
    await register('Auditor', 'auditor'),
  ];
  const [satpol, surabaya, dukcapil, prov, , supervisor] = keys.map((key) => agencyClient(service.baseUrl, key));
  // A case in every stage, so that probes of every step meet a case where it may be valid.
  const open = async (intake: Record<string, unknown> = {}) =>
    (await openCase(satpol!, { ppksType: 'pemulung', foundAt: '2026-11-20T21:15:00+07:00', ...intake })).caseNumber;
  const identified = async () => {
    const n = await open();
    await postStep(dukcapil!, n, 'identification', { outcome: 'not_matched' });
    return n;
  };
  const addressed = async (address: Record<string, unknown>) => {
    const n = await identified();
    await postStep(prov!, n, 'address', address);
    return n;
  };
  const inFollowUp = await addressed({ outcome: 'found', homeRegion: '35.78' });
  await postStep(prov!, inFollowUp, 'repatriation/departure', {});
  await postStep(surabaya!, inFollowUp, 'repatriation/handover', { receivedBy: 'Petugas' });
  const closed = await open();
  await postStep(supervisor!, closed, 'close', { reason: 'seeded closed' });
  seededCases = [
    await open(),
    await open({ needs: ['psychiatric'] }),
    await identified(),
    await addressed({ outcome: 'found', homeRegion: '35.78' }),
    await addressed({ outcome: 'not_found' }),
    await addressed({ outcome: 'found', homeProvince: '32' }),
    inFollowUp,
    closed,
  ];
  for (const n of seededCases) seeded.set(n, await stepsAndAudit(supervisor!, n));
}, 120_000);

/** The steps this test's agencies took in a case's view, and their entries in its audit trail (not intake, not an alert of it). */
async function stepsAndAudit(supervisor: ReturnType<typeof agencyClient>, n: string) {
  const view = (await supervisor.get(`/v1/cases/${n}`)).body as CaseView;
  const audit = (await supervisor.get(`/v1/cases/${n}/audit`)).body.items as { action: string; agencyId: string }[];
  return {
    stage: view.stage,
    status: view.status,
    steps: view.steps.filter((step) => step.stage !== 'intake' && probingAgencies.has(step.by)).length,
    audited: audit.filter(({ action, agencyId }) => action.startsWith('case.') && action !== 'case.intake' && probingAgencies.has(agencyId))
      .length,
  };
}

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
    // Every planned request was sent and answered.
    expect(answers).toHaveLength(REQUESTS);
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
      // As the server reads the header: surrounding spaces trimmed, and an empty key is no key (each such step is its own).
      const distinct = new Set(accepted.map((a) => a.probe.headers['idempotency-key']?.trim() || randomUUID()));
      const now = await stepsAndAudit(supervisor, n);
      const before = seeded.get(n)!;
      expect(STAGES).toContain(now.stage);
      expect(now.status === 'closed').toBe(now.stage === 'closed');
      // On failure, the answers its steps got say which kind of answer went with a step taken.
      const answered = answers.filter((a) => a.probe.action === 'step' && a.probe.caseNumber === n).map((a) => a.status);
      expect(now.steps - before.steps, `${n}: agency steps in the view (step answers: ${answered.join(' ')})`).toBe(distinct.size);
      expect(now.audited - before.audited, `${n}: case entries in the audit trail`).toBe(distinct.size);
      await eventually(async () => {
        const { rows } = await service.pool.query('SELECT stage, status FROM cases WHERE case_number = $1', [n]);
        expect(rows[0]).toEqual({ stage: now.stage, status: now.status });
      });
    }
  });
});
