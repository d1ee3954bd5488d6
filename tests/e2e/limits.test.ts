/**
 * Temporal's limits as the agencies meet them: a case with 10 steps already in flight answers
 * 429 with Retry-After, and a case whose record is full answers 413 but still closes. In both,
 * nothing posted and accepted is lost and the case is never stuck.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CASE_RECORD_BUDGET_BYTES } from '../../workflows/messages.js';
import { agenciesFor, openCase } from '../support/cases.js';
import { type AgencyClient, eventually, startService, type RunningService } from '../support/service.js';

let service: RunningService;
let agency: Record<'satpol' | 'dukcapil' | 'prov' | 'upt', AgencyClient>;

beforeAll(async () => {
  // The API's own deadline (10 s) for the whole request: steps held up by the database answer 202
  // when it runs out, and on a loaded machine the queries before the Update alone can take seconds.
  service = await startService();
  agency = await agenciesFor(service, 'Limits', {
    satpol: ['satpol_pp', { regionCode: '35.78' }],
    dukcapil: 'dukcapil',
    prov: 'dinsos_prov',
    upt: ['upt', { uptCode: 'balai_prs_pmks_sidoarjo' }],
  });
});

afterAll(async () => {
  await service?.stop();
});

/** A man without papers, placed in Balai PRS PMKS Sidoarjo: his UPT posts follow-up visits from here on. */
async function caseInFollowUp(): Promise<string> {
  const n = (await openCase(agency.satpol, { person: { sex: 'M', estimatedAge: 40 } })).caseNumber;
  await agency.dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' });
  await agency.prov.post(`/v1/cases/${n}/address`, { outcome: 'not_found' });
  expect((await agency.upt.post(`/v1/cases/${n}/placement/admission`, {})).body.stage).toBe('follow_up');
  return n;
}

const visit = (n: string, key: string, body: Record<string, string> = { outcome: 'stable' }) =>
  agency.upt.post(`/v1/cases/${n}/follow-ups`, body, { 'Idempotency-Key': key });

it('answers a step beyond 10 in flight with 429 and Retry-After, and takes it when sent again', { timeout: 60_000 }, async () => {
  const n = await caseInFollowUp();
  // Hold the audit trail: each step waits for its audit entry before it is answered, so all stay in flight.
  const lock = await service.pool.connect();
  await lock.query('BEGIN');
  await lock.query('LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE');
  const keys = Array.from({ length: 14 }, (_, i) => `${n}-visit-${i}`);
  const answers = await Promise.all(keys.map((key) => visit(n, key)));
  await lock.query('COMMIT');
  lock.release();

  // Ten are taken and wait for the database (202); the others are turned away at once, never with a 500.
  const statuses = answers.map((answer) => answer.status);
  expect(statuses.filter((status) => status === 202).length, statuses.join()).toBeLessThanOrEqual(10);
  expect(
    // Nothing is down here: a 503 (send it again later) would be a wrong answer.
    statuses.every((status) => [202, 429].includes(status)),
    `${statuses.join()} ${JSON.stringify(answers.map((answer) => answer.body.detail ?? null))}`,
  ).toBe(true);
  const busy = answers.filter((answer) => answer.status === 429);
  expect(busy.length, statuses.join()).toBeGreaterThan(0);
  for (const answer of busy) {
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(answer.body.detail).toContain('same Idempotency-Key');
  }

  // Sent again as told: each is taken once, and the ones already taken change nothing.
  for (const key of keys) await eventually(async () => expect((await visit(n, key)).status).toBe(200), 30_000);
  const view = (await agency.upt.get(`/v1/cases/${n}`)).body;
  expect(view.steps.filter((step: { outcome: string }) => step.outcome === 'stable')).toHaveLength(14);
  expect(view.status).toBe('open');
  const audited = await service.pool.query(
    `SELECT count(*)::int AS n FROM audit_log WHERE case_number = $1 AND action = 'case.follow_up'`,
    [n],
  );
  expect(audited.rows[0].n).toBe(14);
  expect((await visit(n, `${n}-last`, { outcome: 'independent' })).body).toMatchObject({ status: 'closed' });
});

it('answers 413 once the case record is full, and still takes the step that closes the case', { timeout: 120_000 }, async () => {
  const n = await caseInFollowUp();
  // Javanese script: three bytes a character, so each visit's 2,000-character notes add 6 kB.
  const notes = 'ꦱꦺꦲꦠ꧀'.repeat(400);
  let visits = 0;
  for (;;) {
    const answer = await visit(n, `${n}-notes-${visits}`, { outcome: 'stable', notes });
    if (answer.status === 413) {
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.detail).toContain(`${CASE_RECORD_BUDGET_BYTES / 1024} KiB`);
      break;
    }
    expect(answer.status).toBe(200);
    visits++;
    expect(visits, 'visits before the record is full').toBeLessThan(120);
  }
  expect(visits * notes.length * 3).toBeGreaterThan(CASE_RECORD_BUDGET_BYTES * 0.9);

  const view = await agency.upt.get(`/v1/cases/${n}`);
  expect(view.status).toBe(200);
  expect(view.body.steps.filter((step: { outcome: string }) => step.outcome === 'stable')).toHaveLength(visits);
  const closed = await visit(n, `${n}-closing`, { outcome: 'independent' });
  expect(closed.status).toBe(200);
  expect(closed.body).toMatchObject({ status: 'closed', outcome: 'independent' });
});
