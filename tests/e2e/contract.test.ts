/**
 * The contract over real HTTP and PostgreSQL: the lists page with a cursor (every row once, in
 * order, filters kept, no cap), the entries supervisors keep carry an ETag that a PUT's If-Match
 * must name (412 on a stale one, one winner of two racing changes), and every answer here has a
 * status the OpenAPI document lists for its operation.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openApiDocument } from '../../api/openapi.js';
import { type AgencyClient, startService, type RunningService } from '../support/service.js';

vi.hoisted(() => {
  // Before config.ts is read: the webhook whose deliveries are paged points at loopback (nothing is sent to it).
  process.env.WEBHOOK_ALLOWED_DESTINATIONS = '127.0.0.0/8';
});

let service: RunningService;
let supervisor: AgencyClient;
let prov: AgencyClient;

// A region, a PPKS type and case numbers no other test file uses: the index rows below are this file's alone.
const REGION = '35.27';
const TYPE = 'korban_bencana_alam';
const RUN = String(randomInt(1000, 9999));
const caseNumberOf = (i: number) => `3527-2001-${RUN}${String(i).padStart(2, '0')}`;

type Answer = Awaited<ReturnType<AgencyClient['raw']>>;
const document = openApiDocument() as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

/** The statuses the document lists for the operation serving this request. */
function documentedStatuses(method: string, url: string): string[] {
  const path = url.split('?')[0]!;
  const template = Object.keys(document.paths).find((candidate) => new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
  expect(template, `${method} ${path} is documented`).toBeDefined();
  return Object.keys(document.paths[template!]![method.toLowerCase()]!.responses);
}

/** A request whose answer must be one the OpenAPI document lists for it. */
async function call(by: AgencyClient, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const answer = await by.raw(method, url, body, headers);
  expect(documentedStatuses(method, url), `${method} ${url} answered ${answer.status}`).toContain(String(answer.status));
  return answer;
}
const get = (url: string, headers?: Record<string, string>) => call(supervisor, 'GET', url, undefined, headers);

function expectProblem(answer: Answer, status: number, field?: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.contentType).toContain('application/problem+json');
  if (field) expect(answer.body.errors.map((error: { path: string }) => error.path)).toContain(field);
}

/** Follows `next` from `first` to the last page; checks the Link header of each page against `next`. */
async function everyPage(first: string): Promise<{ items: Record<string, unknown>[]; next: string | null; nextPage?: number | null }[]> {
  const pages = [];
  for (let url: string | null = first; url;) {
    const page = await get(url);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.headers.get('link')).toBe(page.body.next ? `<${page.body.next}>; rel="next"` : null);
    pages.push(page.body);
    url = page.body.next;
  }
  return pages;
}

beforeAll(async () => {
  service = await startService();
  supervisor = await service.clientFor('Contract supervisor', 'supervisor');
  prov = await service.clientFor('Contract Dinsos Jatim', 'dinsos_prov');
});

afterAll(async () => {
  const numbers = Array.from({ length: 20 }, (_, i) => caseNumberOf(i));
  await service?.pool.query('DELETE FROM alert_deliveries WHERE alert_id IN (SELECT id FROM alerts WHERE case_number = ANY($1))', [
    numbers,
  ]);
  await service?.pool.query('DELETE FROM alerts WHERE case_number = ANY($1)', [numbers]);
  await service?.pool.query('DELETE FROM cases WHERE case_number = ANY($1)', [numbers]);
  await service?.stop();
});

describe('cursor pagination', () => {
  /** An index row of a closed (or following-up) case, opened at `openedAt`. */
  const indexRow = (i: number, openedAt: string, stage = 'closed') =>
    service.pool.query(
      `INSERT INTO cases (case_number, revision, status, stage, ppks_type, found_region, opened_at, view)
       VALUES ($1, 1, $2, $3, $4, $5, $6, $7)`,
      [
        caseNumberOf(i),
        stage === 'closed' ? 'closed' : 'open',
        stage,
        TYPE,
        REGION,
        openedAt,
        { caseNumber: caseNumberOf(i), stage, ppksType: TYPE, foundRegion: REGION },
      ],
    );

  it('pages the case list newest first, every row once, filters kept, also past rows added meanwhile', async () => {
    // Ties on the opening time (ordered by case number), times a microsecond apart, and rows the filter leaves out.
    const opened = [
      '2001-03-01T08:00:00.000001Z',
      '2001-03-01T08:00:00.000002Z',
      '2001-03-01T08:00:00.000002Z',
      '2001-03-01T08:00:00.000002Z',
      '2001-03-02T09:30:00Z',
      '2001-03-03T10:00:00.5Z',
      '2001-03-03T10:00:00.5Z',
    ];
    for (const [i, at] of opened.entries()) await indexRow(i, at);
    await indexRow(10, '2001-03-02T12:00:00Z', 'follow_up');
    await indexRow(11, '2001-03-01T08:00:00.000002Z', 'follow_up');
    const expected = [6, 5, 4, 3, 2, 1, 0].map(caseNumberOf);

    const filters = `stage=closed&region=${REGION}&ppksType=${TYPE}`;
    const pages = await everyPage(`/v1/cases?${filters}&limit=2`);
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 2, 1]);
    expect(pages.flatMap((page) => page.items.map((item) => item.caseNumber))).toEqual(expected);
    for (const page of pages.slice(0, -1)) {
      const next = new URL(page.next!, service.baseUrl);
      expect([next.pathname, next.searchParams.get('stage'), next.searchParams.get('region'), next.searchParams.get('ppksType')]).toEqual([
        '/v1/cases',
        'closed',
        REGION,
        TYPE,
      ]);
      expect(next.searchParams.get('limit')).toBe('2');
    }

    // A case opened after the first page was read neither repeats nor shifts the rows after it.
    const first = await get(`/v1/cases?${filters}&limit=3`);
    await indexRow(7, '2001-03-04T00:00:00Z');
    const rest = await everyPage(first.body.next);
    expect([...first.body.items, ...rest.flatMap((page) => page.items)].map((item) => item.caseNumber)).toEqual(expected);

    // The contract's first form still works: a page number, `nextPage`, and a `next` that goes on from there.
    const second = await get(`/v1/cases?${filters}&page=2&limit=3`);
    expect(second.body.items.map((item: { caseNumber: string }) => item.caseNumber)).toEqual([
      caseNumberOf(4),
      caseNumberOf(3),
      caseNumberOf(2),
    ]);
    expect(second.body.nextPage).toBe(3);
    const after = await everyPage(second.body.next);
    expect(after.flatMap((page) => page.items.map((item) => item.caseNumber))).toEqual([caseNumberOf(1), caseNumberOf(0)]);
    expect(after.every((page) => page.nextPage === null)).toBe(true);
    // Fifty a page by default, as before.
    expect((await get(`/v1/cases?region=${REGION}&ppksType=${TYPE}`)).body).toMatchObject({ nextPage: null, next: null });
  });

  it('pages the alert inbox, newest first, every alert once, filters kept', async () => {
    const caseNumber = caseNumberOf(0);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { rows } = await service.pool.query<{ id: string }>(
        `INSERT INTO alerts (alert_key, kind, case_number, stage, step, level, recipient_role, acknowledged_at)
         VALUES ($1, 'sla_breach', $2, 'follow_up', 'follow_up', 1, 'supervisor', $3) RETURNING id::text`,
        [`contract/${randomUUID()}`, caseNumber, i % 3 === 1 ? new Date() : null],
      );
      ids.push(rows[0]!.id);
    }
    const open = ids.filter((_, i) => i % 3 !== 1).reverse();
    const pages = await everyPage(`/v1/alerts?caseNumber=${caseNumber}&status=open&limit=2`);
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual(open);
    expect(pages.flatMap((page) => page.items.map((item) => item.acknowledgedAt))).toEqual(open.map(() => null));
    const next = new URL(pages[0]!.next!, service.baseUrl);
    expect([next.searchParams.get('caseNumber'), next.searchParams.get('status')]).toEqual([caseNumber, 'open']);
    // Without status, every alert of the case; fifty a page by default.
    const all = await get(`/v1/alerts?caseNumber=${caseNumber}`);
    expect(all.body.items.map((item: { id: string }) => item.id)).toEqual([...ids].reverse());
    expect(all.body.next).toBeNull();
  });

  it("pages a webhook's deliveries, newest alert first, every delivery once", async () => {
    const registered = await call(supervisor, 'POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/contract',
      secret: `secret-${randomUUID()}`,
    });
    expect(registered.status).toBe(201);
    const webhookId = registered.body.id;
    // Disabled at once: no alert raised meanwhile is delivered to it; the rows below are the only ones.
    expect((await call(supervisor, 'DELETE', `/v1/webhooks/${webhookId}`)).status).toBe(204);
    const { rows } = await service.pool.query<{ id: string }>(
      `INSERT INTO alerts (alert_key, kind, case_number, stage, step, level, recipient_role)
       SELECT 'contract/' || gen_random_uuid(), 'sla_breach', $1, 'follow_up', 'follow_up', 1, 'supervisor' FROM generate_series(1, 5)
       RETURNING id::text`,
      [caseNumberOf(1)],
    );
    await service.pool.query(`INSERT INTO alert_deliveries (alert_id, webhook_id, status) SELECT unnest($1::bigint[]), $2, 'failed'`, [
      rows.map((row) => row.id),
      webhookId,
    ]);
    const pages = await everyPage(`/v1/webhooks/${webhookId}/deliveries?limit=2`);
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.items.map((item) => item.alertId))).toEqual(
      rows.map((row) => row.id).sort((a, b) => Number(b) - Number(a)),
    );
    expect(pages[0]!.next).toMatch(new RegExp(`^/v1/webhooks/${webhookId}/deliveries\\?limit=2&cursor=`));
  });

  it('refuses a bad limit or cursor with a 400 naming it', async () => {
    for (const limit of ['0', '501', 'ten', '2.5']) expectProblem(await get(`/v1/alerts?limit=${limit}`), 400, 'query.limit');
    const alertsPage = await get(`/v1/alerts?caseNumber=${caseNumberOf(0)}&limit=1`);
    const alertsCursor = new URL(alertsPage.body.next, service.baseUrl).searchParams.get('cursor')!;
    const forged = Buffer.from(JSON.stringify({ list: 'alerts', after: '1 OR true' })).toString('base64url');
    for (const cursor of ['not-a-cursor', 'e30', forged, 'x'.repeat(501)])
      expectProblem(await get(`/v1/alerts?cursor=${cursor}`), 400, 'query.cursor');
    // A cursor of one list is not one of another.
    expectProblem(await get(`/v1/cases?cursor=${alertsCursor}`), 400, 'query.cursor');
    expectProblem(await get(`/v1/cases?cursor=${alertsCursor}&page=2`), 400, 'query.page');
    const webhooks = (await get('/v1/webhooks')).body.items;
    expectProblem(await get(`/v1/webhooks/${webhooks[0].id}/deliveries?cursor=${alertsCursor}`), 400, 'query.cursor');
    expectProblem(await get(`/v1/webhooks/${webhooks[0].id}/deliveries?since=yesterday`), 400, 'query');
  });
});

/** An entry supervisors keep: where it is read and changed, and a change that leaves it as it is. */
interface Versioned {
  name: string;
  path: string;
  unchanged(current: Record<string, unknown>): Record<string, unknown>;
}
const defined = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
const policyAsIs = ({ duration, calendar, anchor, escalation }: Record<string, unknown>) => ({ duration, calendar, anchor, escalation });

// Entries no other test file changes (or only puts back as they are): a holiday far away, an
// override for a type no test's case has, a step's default no test changes, a UPT nobody is placed in.
const HOLIDAY = '/v1/holidays/2098-06-15';
const OVERRIDE = `/v1/sla-policies/relay_handover/ppks-types/${TYPE}`;
const ENTRIES: Versioned[] = [
  { name: 'an SLA policy default', path: '/v1/sla-policies/relay_handover', unchanged: policyAsIs },
  { name: 'an SLA policy override', path: OVERRIDE, unchanged: policyAsIs },
  {
    name: 'a UPT',
    path: '/v1/upts/upt_ppspa_batu',
    unchanged: ({ serves, needs, capacityByClass }) => ({
      serves,
      needs,
      capacity: (capacityByClass as { sex: string; ageGroup: string; beds: number }[]).map(({ sex, ageGroup, beds }) => ({
        sex,
        ageGroup,
        beds,
      })),
    }),
  },
  { name: 'a holiday', path: HOLIDAY, unchanged: ({ name, kind, legalBasis }) => ({ name, kind, legalBasis }) },
  {
    name: "a role's working hours",
    path: '/v1/working-hours/dinkes',
    unchanged: ({ schedule, days, opens, closes }) => defined({ schedule, days, opens, closes }),
  },
];

describe('ETag and If-Match', () => {
  beforeAll(async () => {
    const holiday = { name: 'Contract test day', kind: 'cuti_bersama', legalBasis: 'none (a test)' };
    expect((await call(supervisor, 'PUT', HOLIDAY, holiday)).status).toBe(200);
    const base = (await get('/v1/sla-policies/relay_handover')).body;
    expect((await call(supervisor, 'PUT', OVERRIDE, policyAsIs(base))).status).toBe(200);
  });

  afterAll(async () => {
    await call(supervisor, 'DELETE', HOLIDAY);
    await call(supervisor, 'DELETE', OVERRIDE);
  });

  for (const entry of ENTRIES) {
    it(`changes ${entry.name} only at the version If-Match names, one winner of two racing changes`, async () => {
      const read = await get(entry.path);
      expect(read.status).toBe(200);
      const version = read.body.version as number;
      expect(read.headers.get('etag')).toBe(`"${version}"`);
      const body = entry.unchanged(read.body);
      const put = (ifMatch?: string) => call(supervisor, 'PUT', entry.path, body, ifMatch === undefined ? {} : { 'If-Match': ifMatch });

      // Stale, weak, or naming no version: 412 with the current ETag, nothing changed.
      for (const stale of [`"${version - 1}"`, `W/"${version}"`, '"abc", "0"']) {
        const refused = await put(stale);
        expectProblem(refused, 412);
        expect(refused.headers.get('etag')).toBe(`"${version}"`);
      }
      expect((await get(entry.path)).body.version).toBe(version);
      expectProblem(await put('7'), 400, 'header.If-Match');

      // The same ETag sent twice at once: one change applies, the other finds it and is refused.
      const raced = await Promise.all([put(`"${version}"`), put(`"${version}"`)]);
      expect(raced.map((answer) => answer.status).sort()).toEqual([200, 412]);
      const won = raced.find((answer) => answer.status === 200)!;
      expect([won.body.version, won.headers.get('etag')]).toEqual([version + 1, `"${version + 1}"`]);
      expect(raced.find((answer) => answer.status === 412)!.headers.get('etag')).toBe(`"${version + 1}"`);

      // The new ETag (among others, or `*`) applies; without If-Match a change still applies, as before.
      expect((await put(`"${version - 1}", "${version + 1}"`)).headers.get('etag')).toBe(`"${version + 2}"`);
      expect((await put('*')).headers.get('etag')).toBe(`"${version + 3}"`);
      const unconditional = await put();
      expect([unconditional.status, unconditional.headers.get('etag')]).toEqual([200, `"${version + 4}"`]);
      expect((await get(entry.path)).headers.get('etag')).toBe(`"${version + 4}"`);
    });
  }

  it('answers 304 to If-None-Match on the current ETag, except for a UPT whose bed counts it does not cover', async () => {
    // A Cache-Control of its own: fetch would otherwise add `no-cache` to a conditional request, and be never answered 304.
    const revalidate = (etag: string | null) => ({ 'If-None-Match': etag!, 'Cache-Control': 'max-age=0' });
    const hours = await get('/v1/working-hours/dinkes');
    expect((await get('/v1/working-hours/dinkes', revalidate(hours.headers.get('etag')))).status).toBe(304);
    const upt = await get('/v1/upts/upt_ppspa_batu');
    const again = await get('/v1/upts/upt_ppspa_batu', revalidate(upt.headers.get('etag')));
    expect([again.status, again.body.code]).toEqual([200, 'upt_ppspa_batu']);
  });

  it('refuses If-Match on an entry that does not exist, creating nothing', async () => {
    const missing = '/v1/holidays/2098-06-16';
    const holiday = { name: 'Never', kind: 'cuti_bersama', legalBasis: 'none' };
    for (const ifMatch of ['*', '"1"']) expectProblem(await call(supervisor, 'PUT', missing, holiday, { 'If-Match': ifMatch }), 412);
    expectProblem(await get(missing), 404);
    const override = `/v1/sla-policies/relay_handover/ppks-types/anak_jalanan`;
    const policy = policyAsIs((await get('/v1/sla-policies/relay_handover')).body);
    expectProblem(await call(supervisor, 'PUT', override, policy, { 'If-Match': '*' }), 412);
    expectProblem(await get(override), 404);
    // A UPT that does not exist is 404 with or without If-Match: only a PUT that could apply has a precondition to fail.
    const upt = { serves: [TYPE], needs: [], capacity: [{ sex: 'M', ageGroup: 'adult', beds: 1 }] };
    expectProblem(await call(supervisor, 'PUT', '/v1/upts/upt_nowhere', upt, { 'If-Match': '*' }), 404);
  });

  it('lets the readers of an entry read it, and only supervisors change it', async () => {
    expect((await call(prov, 'GET', '/v1/sla-policies/relay_handover')).status).toBe(200);
    const hours = await call(prov, 'GET', '/v1/working-hours/dinkes');
    expect(hours.status).toBe(200);
    expectProblem(
      await call(prov, 'PUT', '/v1/working-hours/dinkes', { schedule: 'round_the_clock' }, { 'If-Match': hours.headers.get('etag')! }),
      403,
    );
  });
});

describe('bodies the API does not take', () => {
  it('answers 413 to a body over 64 kB and 415 to one not in UTF-8, as problem+json', async () => {
    const big = { name: 'x'.repeat(70_000), kind: 'cuti_bersama', legalBasis: 'none' };
    expectProblem(await call(supervisor, 'PUT', HOLIDAY, big), 413);
    const latin1 = await call(supervisor, 'PUT', HOLIDAY, '{"name":"x"}', { 'content-type': 'application/json; charset=latin1' });
    expectProblem(latin1, 415);
  });
});
