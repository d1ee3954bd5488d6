/**
 * Walks the whole access matrix over HTTP: every role, in and out of scope, against every
 * endpoint, on a repatriation case and a placement case. A refused request is 403; an allowed
 * one is anything but 401/403 (a step in the wrong stage is still 409). Lists must show exactly
 * the cases and alerts in scope. One file on purpose, though long: every probe runs against the
 * same agencies and cases, and the last test checks that the probes cover every action.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sessionRoutes } from '../../api/openapi/session.js';
import { ACCESS_MATRIX, type Action, accessMatrixMarkdown } from '../../api/access.js';
import { agencyForKey } from '../../api/auth.js';
import type { Actor } from '../../domain/case.js';
import type { CaseView } from '../../domain/case-view.js';
import { openCase, postStep } from '../support/cases.js';
import { EXPECTED_ACTIONS, expectedAccess } from '../support/expected-access.js';
import { agencyClient, eventually, startService, type RunningService } from '../support/service.js';

// The webhook probe registers a loopback receiver: allowed here, refused by default.
vi.hoisted(() => {
  process.env.WEBHOOK_ALLOWED_DESTINATIONS = '127.0.0.1';
});

const PPKS_TYPE = 'anak_balita_terlantar'; // served by one UPT only, and used by no other test file
const FOUND = '35.78';
const HOME = '35.09';
const ELSEWHERE = '35.01';

interface Agency {
  label: string;
  actor: Actor;
  http: ReturnType<typeof agencyClient>;
}

let service: RunningService;
let agencies: Agency[];
let supervisor: Agency;
let repatriationCase: string;
let placementCase: string;

async function register(label: string, role: string, scope: { regionCode?: string; uptCode?: string } = {}): Promise<Agency> {
  const key = await service.keyFor({ name: label, role, ...scope });
  return { label, actor: (await agencyForKey(service.pool, key))!, http: agencyClient(service.baseUrl, key) };
}

const intake = (foundRegion = FOUND) => ({
  ppksType: PPKS_TYPE,
  foundAt: '2026-11-20T21:15:00+07:00',
  foundRegion,
  person: { sex: 'F', estimatedAge: 4 },
});

const newCase = async (by: Agency) => (await openCase(by.http, intake())).caseNumber;
const step = (by: Agency, caseNumber: string, path: string, body: unknown) => postStep(by.http, caseNumber, path, body);

beforeAll(async () => {
  service = await startService();
  const satpolFound = await register('Satpol PP Surabaya', 'satpol_pp', { regionCode: FOUND });
  const dukcapil = await register('Dukcapil', 'dukcapil');
  const prov = await register('Dinsos Jatim', 'dinsos_prov');
  const kabkotaHome = await register('Dinsos Jember', 'dinsos_kabkota', { regionCode: HOME });
  supervisor = await register('Supervisor', 'supervisor');

  // Repatriation: found in Surabaya, home in Jember, now in follow-up (owned by Dinsos Jember).
  repatriationCase = await newCase(satpolFound);
  await step(dukcapil, repatriationCase, 'identification', { outcome: 'not_matched' });
  await step(prov, repatriationCase, 'address', { outcome: 'found', homeRegion: HOME });
  await step(prov, repatriationCase, 'repatriation/departure', {});
  await step(kabkotaHome, repatriationCase, 'repatriation/handover', { receivedBy: 'Petugas' });

  // Placement: no address, placed in the one UPT serving the type, admitted, in follow-up (owned by the UPT).
  placementCase = await newCase(satpolFound);
  await step(dukcapil, placementCase, 'identification', { outcome: 'not_possible' });
  const placed = await step(prov, placementCase, 'address', { outcome: 'not_found' });
  const uptCode = placed.upt!;
  const upt = await register('UPT of the case', 'upt', { uptCode });
  await step(upt, placementCase, 'placement/admission', {});

  const { rows } = await service.pool.query<{ code: string }>('SELECT code FROM upts WHERE code <> $1 ORDER BY code LIMIT 1', [uptCode]);
  agencies = [
    satpolFound,
    await register('Satpol PP Jember', 'satpol_pp', { regionCode: HOME }),
    await register('Satpol PP Pacitan', 'satpol_pp', { regionCode: ELSEWHERE }),
    await register('Dinsos Surabaya', 'dinsos_kabkota', { regionCode: FOUND }),
    kabkotaHome,
    await register('Dinsos Pacitan', 'dinsos_kabkota', { regionCode: ELSEWHERE }),
    dukcapil,
    prov,
    upt,
    await register('Another UPT', 'upt', { uptCode: rows[0]!.code }),
    supervisor,
    await register('Dinkes', 'dinkes'),
    await register('Auditor', 'auditor'),
  ];
});

afterAll(async () => {
  await service?.stop();
});

const currentView = async (caseNumber: string): Promise<CaseView> => (await supervisor.http.get(`/v1/cases/${caseNumber}`)).body;

/** Asserts the HTTP outcome of one probe against what the matrix decides. */
function expectDecision(agency: Agency, action: Action, allowed: boolean, status: number, subject: string, refusedAs = [403]): void {
  const outcome = refusedAs.includes(status) ? 'refused' : [401, 429].includes(status) || status >= 500 ? `failed (${status})` : 'allowed';
  expect(`${agency.label} ${action} ${subject}: ${outcome}`).toBe(
    `${agency.label} ${action} ${subject}: ${allowed ? 'allowed' : 'refused'}`,
  );
}

const caseSteps: Partial<Record<Action, [string, unknown]>> = {
  'case.health_referral': ['health/referral', { facilityType: 'rsj', facility: 'RSJ Menur' }],
  'case.health_discharge': ['health/discharge', {}],
  'case.identification': ['identification', { outcome: 'not_possible' }],
  'case.address': ['address', { outcome: 'not_found' }],
  'case.departure': ['repatriation/departure', {}],
  'case.handover': ['repatriation/handover', { receivedBy: 'Petugas' }],
  'case.relay_departure': ['relay/departure', {}],
  'case.relay_handover': ['relay/handover', { receivedBy: 'Petugas' }],
  'case.admission': ['placement/admission', {}],
  'case.transfer': ['placement/transfer', { toUpt: 'upt_rsbl_pasuruan', reason: 'access matrix test' }],
  'case.follow_up': ['follow-ups', { outcome: 'stable' }],
  'case.close': ['close', { reason: 'access matrix test' }],
  'case.pause': ['pause', { reason: 'access matrix test' }],
  'case.resume': ['resume', { reason: 'access matrix test' }],
  'case.sla_extension': ['sla-extensions', { extendBy: 'PT1H', reason: 'access matrix test' }],
  'case.reassignment': ['reassignments', { ownerRole: 'dinsos_prov', reason: 'access matrix test' }],
  'case.move_on': ['move-on', { reason: 'access matrix test' }],
  'case.reopen': ['reopen', { reason: 'access matrix test' }],
  // No such pair (these cases have no names to match): allowed is 404, refused 403.
  'case.match': ['matches', { caseNumber: '3578-2026-999999', decision: 'rejected', reason: 'access matrix test' }],
};
const caseReads: Partial<Record<Action, string>> = { 'case.read': '', 'case.audit': '/audit', 'case.access_log': '/access-log' };

describe('the access matrix', () => {
  it('covers every endpoint of the API, as the OpenAPI document lists them', async () => {
    const document = (await (await fetch(`${service.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    // Signing in, out, GET /v1/me, the second factor's three and single sign-on's two are for everyone
    // (api/openapi/session.ts), so not in the matrix.
    const forEveryone = sessionRoutes.map((route) => `${route.method.toUpperCase()} ${route.path}`);
    const documented = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .filter((endpoint) => !forEveryone.includes(endpoint));
    expect(forEveryone).toHaveLength(8);
    const inMatrix = Object.values(ACCESS_MATRIX)
      .map((entry) => entry.endpoint)
      .filter((endpoint) => endpoint.includes(' /v1/'));
    expect([...documented].sort()).toEqual([...inMatrix].sort());
  });

  it('is what docs/security.md shows', () => {
    expect(readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8')).toContain(accessMatrixMarkdown());
  });

  it('never lets the auditor change anything', () => {
    const changes = Object.entries(ACCESS_MATRIX).filter(
      ([, entry]) => !entry.endpoint.startsWith('GET ') && !entry.endpoint.includes('/codec/'),
    );
    expect(changes.length).toBeGreaterThan(8);
    for (const [action, entry] of changes) expect(entry.grants, action).not.toHaveProperty('auditor');
  });

  it('decides intake by the region the person was found in', async () => {
    for (const agency of agencies) {
      for (const region of [FOUND, ELSEWHERE]) {
        const response = await agency.http.post('/v1/cases', intake(region), { 'Idempotency-Key': randomUUID() });
        expectDecision(
          agency,
          'case.intake',
          expectedAccess(agency.actor, 'case.intake', { foundRegion: region }),
          response.status,
          `found in ${region}`,
        );
      }
    }
  });

  it('decides reads and steps on each case by role and scope', async () => {
    for (const caseNumber of [repatriationCase, placementCase]) {
      for (const [action, suffix] of Object.entries(caseReads) as [Action, string][]) {
        for (const agency of agencies) {
          const response = await agency.http.get(`/v1/cases/${caseNumber}${suffix}`);
          expectDecision(agency, action, expectedAccess(agency.actor, action, await currentView(caseNumber)), response.status, caseNumber);
          if (response.status === 200 && action !== 'case.read') expect(response.body.items.length).toBeGreaterThan(0);
        }
      }
      for (const [action, [path, body]] of Object.entries(caseSteps) as [Action, [string, unknown]][]) {
        for (const agency of agencies) {
          const view = await currentView(caseNumber);
          const response = await agency.http.post(`/v1/cases/${caseNumber}/${path}`, body);
          expectDecision(agency, action, expectedAccess(agency.actor, action, view), response.status, `${caseNumber} in ${view.stage}`);
        }
      }
    }
  });

  it('lists exactly the cases in scope', async () => {
    const views = await Promise.all([repatriationCase, placementCase].map(currentView));
    await eventually(async () => {
      for (const agency of agencies) {
        const listed = await agency.http.get(`/v1/cases?ppksType=${PPKS_TYPE}`);
        expect(listed.status).toBe(200);
        const numbers = listed.body.items.map((item: CaseView) => item.caseNumber);
        for (const view of views) {
          expect(`${agency.label} lists ${view.caseNumber}: ${numbers.includes(view.caseNumber)}`).toBe(
            `${agency.label} lists ${view.caseNumber}: ${expectedAccess(agency.actor, 'case.list', view)}`,
          );
        }
      }
    });
  });

  it('lists and acknowledges exactly the alerts addressed to each agency', async () => {
    const uptCode = (await currentView(placementCase)).upt;
    const recipients = [
      { recipientRole: 'dinsos_kabkota', regionCode: HOME, uptCode: null },
      { recipientRole: 'upt', regionCode: null, uptCode },
      { recipientRole: 'dukcapil', regionCode: null, uptCode: null },
      { recipientRole: 'dinsos_prov', regionCode: null, uptCode: null },
      { recipientRole: 'satpol_pp', regionCode: null, uptCode: null },
      { recipientRole: 'supervisor', regionCode: null, uptCode: null },
      { recipientRole: 'head_of_office', regionCode: null, uptCode: null },
    ];
    const alerts = [];
    for (const recipient of recipients) {
      const { rows } = await service.pool.query<{ id: string }>(
        `INSERT INTO alerts (alert_key, kind, case_number, stage, step, level, recipient_role, region_code, upt_code)
         VALUES ($1, 'sla_breach', $2, 'follow_up', 'follow_up', 1, $3, $4, $5) RETURNING id::text`,
        [`matrix/${randomUUID()}`, placementCase, recipient.recipientRole, recipient.regionCode, recipient.uptCode],
      );
      alerts.push({ id: rows[0]!.id, ...recipient });
    }
    for (const agency of agencies) {
      const listed = await agency.http.get(`/v1/alerts?caseNumber=${placementCase}`);
      const ids = (listed.body.items ?? []).map((alert: { id: string }) => alert.id);
      // `addressedToUs=true` lists exactly those it may act on (acknowledge), read before any is acted on.
      const ours = await agency.http.get(`/v1/alerts?caseNumber=${placementCase}&addressedToUs=true`);
      const ourIds = (ours.body.items ?? []).map((alert: { id: string }) => alert.id);
      for (const alert of alerts) {
        expect(`${agency.label} addressed alert for ${alert.recipientRole}: ${ourIds.includes(alert.id)}`).toBe(
          `${agency.label} addressed alert for ${alert.recipientRole}: ${expectedAccess(agency.actor, 'alert.ack', alert)}`,
        );
      }
      for (const alert of alerts) {
        expect(`${agency.label} sees alert for ${alert.recipientRole}: ${ids.includes(alert.id)}`).toBe(
          `${agency.label} sees alert for ${alert.recipientRole}: ${expectedAccess(agency.actor, 'alert.list', alert)}`,
        );
        // Snoozed before it is acknowledged (a snooze needs an open alert), at most twice. An alert outside
        // the agency's inbox is 404 rather than 403 (its existence is not disclosed): refused is 403 or 404.
        for (const [action, path, body] of [
          ['alert.snooze', 'snooze', { for: 'PT1M' }],
          ['alert.ack', 'ack', {}],
        ] as const) {
          const answered = await agency.http.post(`/v1/alerts/${alert.id}/${path}`, body);
          const allowed = expectedAccess(agency.actor, action, alert);
          expectDecision(agency, action, allowed, answered.status, `alert for ${alert.recipientRole}`, [403, 404]);
        }
      }
    }
  });

  it('decides the reference and policy endpoints by role', async () => {
    const policies = await supervisor.http.get('/v1/sla-policies');
    const unchanged = policies.body.items.find((policy: { step: string }) => policy.step === 'follow_up');
    // An override for a PPKS type no test's case has, on a step no other test overrides; removed again.
    const override = '/v1/sla-policies/follow_up/ppks-types/komunitas_adat_terpencil';
    // A UPT no test places anyone in, put back with its current registry entry.
    const upt = (await supervisor.http.get('/v1/upts')).body.items.find((item: { code: string }) => item.code === 'upt_rs_eks_kusta_tuban');
    const uptAsIs = {
      serves: upt.serves,
      needs: upt.needs,
      capacity: upt.capacityByClass.map(({ sex, ageGroup, beds }: { sex: string; ageGroup: string; beds: number }) => ({
        sex,
        ageGroup,
        beds,
      })),
    };
    for (const agency of agencies) {
      const overridden = agency.http.put(override, { duration: unchanged.duration, calendar: unchanged.calendar });
      const probes: [Action, Promise<{ status: number }>][] = [
        ['upt.list', agency.http.get('/v1/upts')],
        ['upt.read', agency.http.get(`/v1/upts/${upt.code}`)],
        ['upt.change', agency.http.put(`/v1/upts/${upt.code}`, uptAsIs)],
        ['stats.read', agency.http.get('/v1/stats')],
        // Only cases of a type no test file opens: a rollout must not touch other files' cases.
        ['sla_policy.apply', agency.http.post('/v1/sla-policies/follow_up/apply', { ppksType: 'keluarga_bermasalah_sosial_psikologis' })],
        ['sla_policy.list', agency.http.get('/v1/sla-policies')],
        ['sla_policy.read', agency.http.get('/v1/sla-policies/follow_up')],
        // Allowed is 200 or 404 (whether the override exists at that moment), refused 403.
        ['sla_policy.override_read', agency.http.get(override)],
        [
          'sla_policy.change',
          agency.http.put('/v1/sla-policies/follow_up', {
            duration: unchanged.duration,
            calendar: unchanged.calendar,
            anchor: unchanged.anchor,
            escalation: unchanged.escalation,
          }),
        ],
        ['sla_policy.override_change', overridden],
        ['sla_policy.override_remove', overridden.then(() => agency.http.raw('DELETE', override))],
        ['sla_policy.versions', agency.http.get('/v1/sla-policies/follow_up/versions?ppksType=komunitas_adat_terpencil')],
        ['payloads.decode', agency.http.post('/codec/decode', { payloads: [] })],
      ];
      for (const [action, probe] of probes)
        expectDecision(agency, action, expectedAccess(agency.actor, action, {}), (await probe).status, '');
    }
  });

  it('decides the calendar endpoints by role', async () => {
    // A holiday far from any date a test counts with, removed again; the head of office never owns a step.
    const farHoliday = '/v1/holidays/2099-12-31';
    const hours = (await supervisor.http.get('/v1/working-hours')).body.items.find(
      (row: { role: string }) => row.role === 'head_of_office',
    );
    for (const agency of agencies) {
      const added = agency.http.put(farHoliday, { name: 'Access matrix test', kind: 'national_holiday', legalBasis: 'none' });
      const probes: [Action, Promise<{ status: number }>][] = [
        ['holiday.list', agency.http.get('/v1/holidays?year=2026')],
        ['holiday.read', added.then(() => agency.http.get(farHoliday))],
        ['holiday.change', added],
        ['holiday.remove', added.then(() => agency.http.raw('DELETE', farHoliday))],
        ['working_hours.list', agency.http.get('/v1/working-hours')],
        ['working_hours.read', agency.http.get('/v1/working-hours/head_of_office')],
        [
          'working_hours.change',
          agency.http.put('/v1/working-hours/head_of_office', {
            schedule: hours.schedule,
            days: hours.days ?? undefined,
            opens: hours.opens ?? undefined,
            closes: hours.closes ?? undefined,
          }),
        ],
      ];
      for (const [action, probe] of probes)
        expectDecision(agency, action, expectedAccess(agency.actor, action, {}), (await probe).status, '');
    }
  });

  it('decides the webhook endpoints by role', async () => {
    // A closed port: whatever is raised meanwhile is never delivered, and every webhook is disabled below.
    const webhook = { url: 'http://127.0.0.1:9/access-matrix', secret: 'access-matrix-secret' };
    const existing = await supervisor.http.post('/v1/webhooks', webhook);
    expect(existing.status).toBe(201);
    for (const agency of agencies) {
      const registered = await agency.http.post('/v1/webhooks', webhook);
      expectDecision(agency, 'webhook.register', expectedAccess(agency.actor, 'webhook.register', {}), registered.status, '');
      const probes: [Action, Promise<{ status: number }>][] = [
        ['webhook.list', agency.http.get('/v1/webhooks')],
        ['webhook.deliveries', agency.http.get(`/v1/webhooks/${existing.body.id}/deliveries`)],
        ['webhook.disable', agency.http.raw('DELETE', `/v1/webhooks/${registered.status === 201 ? registered.body.id : existing.body.id}`)],
      ];
      for (const [action, probe] of probes)
        expectDecision(agency, action, expectedAccess(agency.actor, action, {}), (await probe).status, '');
    }
    expect((await supervisor.http.raw('DELETE', `/v1/webhooks/${existing.body.id}`)).status).toBe(204);
  });

  it('decides the people endpoints by role', async () => {
    const target = agencies.find((agency) => agency.label === 'Dinkes')!.actor.agencyId;
    const newPerson = () => ({ name: 'Access Matrix', email: `access.matrix.${randomUUID()}@dinkes.example.id` });
    const person = await supervisor.http.post(`/v1/agencies/${target}/people`, newPerson());
    expect(person.status).toBe(201);
    for (const agency of agencies) {
      const probes: [Action, Promise<{ status: number }>][] = [
        ['person.list', agency.http.get(`/v1/agencies/${target}/people`)],
        ['person.add', agency.http.post(`/v1/agencies/${target}/people`, newPerson())],
        ['person.disable', agency.http.post(`/v1/people/${person.body.userId}/disable`)],
        ['person.enable', agency.http.post(`/v1/people/${person.body.userId}/enable`)],
        ['person.reset_password', agency.http.post(`/v1/people/${person.body.userId}/reset-password`)],
        ['person.reset_totp', agency.http.post(`/v1/people/${person.body.userId}/reset-totp`)],
      ];
      for (const [action, probe] of probes)
        expectDecision(agency, action, expectedAccess(agency.actor, action, {}), (await probe).status, '');
    }
  });

  it('has a probe above for every action in the matrix', () => {
    const probed = [
      'case.intake',
      'case.list',
      'alert.list',
      'alert.ack',
      'alert.snooze',
      'upt.list',
      'upt.read',
      'upt.change',
      'stats.read',
      'sla_policy.apply',
      'sla_policy.list',
      'sla_policy.read',
      'sla_policy.override_read',
      'sla_policy.change',
      'payloads.decode',
      'webhook.register',
      'webhook.list',
      'webhook.deliveries',
      'webhook.disable',
      'holiday.list',
      'holiday.read',
      'holiday.change',
      'holiday.remove',
      'working_hours.list',
      'working_hours.read',
      'working_hours.change',
      'sla_policy.override_change',
      'sla_policy.override_remove',
      'sla_policy.versions',
      'person.list',
      'person.add',
      'person.disable',
      'person.enable',
      'person.reset_password',
      'person.reset_totp',
      ...Object.keys(caseSteps),
      ...Object.keys(caseReads),
    ];
    expect(probed.sort()).toEqual(Object.keys(ACCESS_MATRIX).sort());
    // And the hand-written expectations cover the same actions, no more, no fewer.
    expect([...EXPECTED_ACTIONS].sort()).toEqual(Object.keys(ACCESS_MATRIX).sort());
  });
});
