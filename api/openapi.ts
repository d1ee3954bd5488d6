/** The OpenAPI document, generated from the same zod schemas that validate requests. */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { SLA_STEPS } from '../domain/case.js';
import { IntakeReport, PpksType, z } from '../domain/schemas.js';
import { STEP_NAMES, STEPS } from '../domain/steps.js';
import { ACCESS_MATRIX, type Action } from './access.js';
import {
  AccessLogEntry,
  Alert,
  AlertAckBody,
  AlertListQuery,
  AlertSnoozeBody,
  AuditEntry,
  CaseListQuery,
  CaseMatch,
  CaseDetail,
  FullCase,
  ListedCase,
  CaseMatchBody,
  Holiday,
  HolidayBody,
  HolidayDateParam,
  HolidayListQuery,
  Problem,
  SlaPolicy,
  SlaPolicyBody,
  SlaPolicyRemovalBody,
  SlaPolicyRolloutBody,
  SlaPolicyVersion,
  SlaPolicyVersionsQuery,
  Stats,
  StatsQuery,
  Upt,
  UptBody,
  UptChangeResult,
  UptCodeParam,
  Webhook,
  WebhookBody,
  WebhookDelivery,
  WebhookListItem,
  WorkingHours,
  WorkingHoursBody,
  WorkingHoursRoleParam,
} from './schemas.js';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });
const errors = {
  400: problem('Bad input; `errors` names each field'),
  401: problem('No or unknown API key'),
  403: problem('Role or scope not allowed (see the access matrix)'),
  429: problem('Too many failed authentications from this client or with this key; see Retry-After'),
  503: problem('Temporal or the database is unavailable; see Retry-After'),
};
const caseNumber = z.object({ caseNumber: z.string().openapi({ example: '3578-2026-000001' }) });
const idempotencyKey = (required: boolean) =>
  z.object({ 'Idempotency-Key': required ? z.string().min(1).max(200) : z.string().min(1).max(200).optional() });

/** Method and path come from the access matrix, and so does "who may". */
function route(action: Action, config: Omit<RouteConfig, 'method' | 'path'>): RouteConfig {
  const [method, path] = ACCESS_MATRIX[action].endpoint.split(' ') as [string, string];
  const who = Object.entries(ACCESS_MATRIX[action].grants).map(([role, rule]) => (rule === 'any' ? role : `${role} (${rule})`));
  const description = [`Who: ${who.join(', ')}.`, config.description].filter(Boolean).join(' ');
  return { ...config, method: method.toLowerCase() as RouteConfig['method'], path, description };
}

function stepRoute(action: Action, summary: string, body: z.ZodType): RouteConfig {
  return route(action, {
    summary,
    description: 'Posted in the wrong stage: 409, nothing changes. The read is recorded in the access log.',
    request: { params: caseNumber, headers: idempotencyKey(false), body: json(body) },
    responses: {
      200: { description: 'The case view after the step', ...json(FullCase) },
      ...errors,
      404: problem('Unknown case'),
      409: problem('Step not valid now, or Idempotency-Key reused with another body'),
    },
  });
}

export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'Agency API key from `npm run agency -- add`',
  });
  const routes: RouteConfig[] = [
    route('case.intake', {
      summary: 'Intake: report a person picked up',
      description: 'A replayed Idempotency-Key returns the same case with 200.',
      request: { headers: idempotencyKey(true), body: json(IntakeReport) },
      responses: {
        201: { description: 'Case opened', ...json(FullCase) },
        200: { description: 'Replayed key: the same case', ...json(FullCase) },
        ...errors,
        409: problem('Idempotency-Key reused with another body'),
      },
    }),
    route('case.list', {
      summary: 'List cases in scope (personal data masked: initials, last 4 NIK digits)',
      request: { query: CaseListQuery },
      responses: {
        200: { description: 'A page of cases', ...json(z.object({ items: z.array(ListedCase), nextPage: z.number().int().nullable() })) },
        ...errors,
      },
    }),
    route('case.read', {
      summary: 'One case: state, SLA, steps',
      description: 'The read is recorded in the access log.',
      request: { params: caseNumber },
      responses: {
        200: { description: "The case view, with the person's other cases", ...json(CaseDetail) },
        ...errors,
        404: problem('Unknown case'),
      },
    }),
    ...STEP_NAMES.map((name) => stepRoute(STEPS[name].action, STEPS[name].summary, STEPS[name].body)),
    route('case.audit', {
      summary: "The case's audit trail: every accepted change, hash-chained",
      request: { params: caseNumber },
      responses: {
        200: { description: 'Audit entries in order', ...json(z.object({ items: z.array(AuditEntry) })) },
        ...errors,
        404: problem('Unknown case'),
      },
    }),
    route('case.access_log', {
      summary: "Who read this case's personal data, when, and through which endpoint",
      request: { params: caseNumber },
      responses: {
        200: { description: 'Reads in order', ...json(z.object({ items: z.array(AccessLogEntry) })) },
        ...errors,
        404: problem('Unknown case'),
      },
    }),
    route('case.match', {
      summary: 'Confirm or reject a possible repeat client (another case of the same person)',
      description:
        'Either case of the pair may be in the path. A confirmed pair links the cases; the view then shows `linkedCases` and `repatriatedBefore`. Audited.',
      request: { params: caseNumber, body: json(CaseMatchBody) },
      responses: {
        200: { description: 'The decided pair', ...json(CaseMatch) },
        ...errors,
        404: problem('Unknown case, or no such possible match'),
        409: problem('Already decided'),
      },
    }),
    route('alert.list', {
      summary: 'Escalation inbox of your agency',
      request: { query: AlertListQuery },
      responses: { 200: { description: 'Alerts', ...json(z.object({ items: z.array(Alert) })) }, ...errors },
    }),
    route('alert.ack', {
      summary: 'Acknowledge an alert',
      request: { params: z.object({ id: z.string() }), body: json(AlertAckBody) },
      responses: {
        200: { description: 'The acknowledged alert', ...json(Alert) },
        ...errors,
        404: problem('No such alert for your agency'),
      },
    }),
    route('alert.snooze', {
      summary: 'Snooze an open alert (at most twice, a day at most each): it leaves the open inbox until then',
      request: { params: z.object({ id: z.string() }), body: json(AlertSnoozeBody) },
      responses: {
        200: { description: 'The snoozed alert', ...json(Alert) },
        ...errors,
        404: problem('No such alert for your agency'),
        409: problem('Acknowledged, or snoozed too often'),
      },
    }),
    route('stats.read', {
      summary: 'Time per stage, SLA breach rate per stage, owning role and region, and paused time, by month',
      request: { query: StatsQuery },
      responses: { 200: { description: 'Aggregates by month of entering the stage', ...json(Stats) }, ...errors },
    }),
    route('upt.list', {
      summary: 'The UPT registry: what each UPT serves, beds per sex and age group, occupied, reserved and waiting',
      responses: { 200: { description: 'UPTs', ...json(z.object({ items: z.array(Upt) })) }, ...errors },
    }),
    route('upt.change', {
      summary: "Replace a UPT's PPKS types, needs and beds per class (and optionally its name and region)",
      description:
        'Audited. Fewer beds than people already in a class is allowed and reported in `overCapacity`. The seed no longer refreshes an edited UPT.',
      request: { params: z.object({ code: UptCodeParam }), body: json(UptBody) },
      responses: { 200: { description: 'The UPT as now registered', ...json(UptChangeResult) }, ...errors, 404: problem('No such UPT') },
    }),
    route('sla_policy.list', {
      summary: 'SLA policies in force: the default of each step (`ppksType` null) and its overrides per PPKS type',
      responses: { 200: { description: 'Policies', ...json(z.object({ items: z.array(SlaPolicy) })) }, ...errors },
    }),
    route('sla_policy.change', {
      summary: "Change a step's default SLA; a new version, applied to clocks started afterwards",
      request: { params: z.object({ step: z.enum(SLA_STEPS) }), body: json(SlaPolicyBody) },
      responses: { 200: { description: 'The new policy version', ...json(SlaPolicy) }, ...errors },
    }),
    route('sla_policy.override_change', {
      summary: "Create or change a step's SLA for one PPKS type; a new version, applied to clocks started afterwards",
      description: "A new override takes `anchor` and `escalation`, when left out, from the step's default.",
      request: { params: z.object({ step: z.enum(SLA_STEPS), ppksType: PpksType }), body: json(SlaPolicyBody) },
      responses: { 200: { description: 'The new policy version', ...json(SlaPolicy) }, ...errors },
    }),
    route('sla_policy.override_remove', {
      summary: "Remove a PPKS type's override: the step's default applies again to clocks started afterwards",
      description: 'Recorded as a version with `removed: true`; a later override continues the count.',
      request: {
        params: z.object({ step: z.enum(SLA_STEPS), ppksType: PpksType }),
        body: { ...json(SlaPolicyRemovalBody), required: false },
      },
      responses: { 204: { description: 'Removed' }, ...errors, 404: problem('No override for that type') },
    }),
    route('sla_policy.versions', {
      summary: "Every version of a step's default, or of one PPKS type's override, oldest first",
      request: { params: z.object({ step: z.enum(SLA_STEPS) }), query: SlaPolicyVersionsQuery },
      responses: { 200: { description: 'Versions', ...json(z.object({ items: z.array(SlaPolicyVersion) })) }, ...errors },
    }),
    route('sla_policy.apply', {
      summary: 'Put the cases whose clock for this step is running under the policy in force now',
      description:
        "Counted from each clock's start, keeping its pauses and extensions; alerts already raised stand. Keyed on the policy version: applying it twice changes nothing.",
      request: { params: z.object({ step: z.enum(SLA_STEPS) }), body: { ...json(SlaPolicyRolloutBody), required: false } },
      responses: {
        200: {
          description: 'Cases updated, those skipped because their clock moved on, and those that did not answer in time (apply again)',
          ...json(
            z.object({
              step: z.enum(SLA_STEPS),
              ppksType: z.string().nullable(),
              applied: z.array(z.string()),
              skipped: z.array(z.object({ caseNumber: z.string(), reason: z.string() })),
              unreachable: z.array(z.string()),
            }),
          ),
        },
        ...errors,
      },
    }),
    route('holiday.list', {
      summary: 'National holidays and cuti bersama, which SLAs in working days skip',
      request: { query: HolidayListQuery },
      responses: { 200: { description: 'Holidays in date order', ...json(z.object({ items: z.array(Holiday) })) }, ...errors },
    }),
    route('holiday.change', {
      summary: 'Add or replace a holiday; applies to SLA clocks started afterwards',
      request: { params: z.object({ date: HolidayDateParam }), body: json(HolidayBody) },
      responses: { 200: { description: 'The holiday as stored', ...json(Holiday) }, ...errors },
    }),
    route('holiday.remove', {
      summary: 'Remove a holiday (it stays removed across restarts)',
      request: { params: z.object({ date: HolidayDateParam }) },
      responses: { 204: { description: 'Removed' }, ...errors, 404: problem('No holiday on that date') },
    }),
    route('working_hours.list', {
      summary: 'Working hours per role, for SLAs in working days (Satpol PP round the clock)',
      responses: { 200: { description: 'Working hours', ...json(z.object({ items: z.array(WorkingHours) })) }, ...errors },
    }),
    route('working_hours.change', {
      summary: "Change a role's working hours; applies to SLA clocks started afterwards",
      request: { params: z.object({ role: WorkingHoursRoleParam }), body: json(WorkingHoursBody) },
      responses: { 200: { description: 'The working hours as stored', ...json(WorkingHours) }, ...errors },
    }),
    route('webhook.register', {
      summary: 'Register a webhook: every new alert is POSTed to it, signed with the secret',
      description:
        'Header `X-PPKS-Signature: sha256=<hex HMAC-SHA256 of the raw body>`; `X-PPKS-Delivery` identifies the delivery (at-least-once: deduplicate on it). The secret is never returned.',
      request: { body: json(WebhookBody) },
      responses: { 201: { description: 'Registered', ...json(Webhook) }, ...errors },
    }),
    route('webhook.list', {
      summary: 'Registered webhooks with their delivery counts per status',
      responses: { 200: { description: 'Webhooks', ...json(z.object({ items: z.array(WebhookListItem) })) }, ...errors },
    }),
    route('webhook.disable', {
      summary: 'Disable a webhook: nothing more is sent to it, deliveries still due stop',
      request: { params: z.object({ id: z.string() }) },
      responses: { 204: { description: 'Disabled (also when it already was)' }, ...errors, 404: problem('No such webhook') },
    }),
    route('webhook.deliveries', {
      summary: "A webhook's most recent deliveries (500), newest alert first",
      request: { params: z.object({ id: z.string() }) },
      responses: {
        200: { description: 'Deliveries', ...json(z.object({ items: z.array(WebhookDelivery) })) },
        ...errors,
        404: problem('No such webhook'),
      },
    }),
  ];
  for (const route of routes) registry.registerPath({ ...route, security: [{ apiKey: [] }] });
  registry.registerPath({ method: 'get', path: '/healthz', summary: 'Liveness', responses: { 200: { description: 'Up' } } });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Temporal and PostgreSQL reachable',
    responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready' } },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'PPKS case service — agency API',
      version: '1.0.0',
      description:
        'Dinas Sosial Jawa Timur and partner agencies: cases of people in need of social-welfare services (PPKS). Errors are application/problem+json (RFC 9457).',
    },
  });
}
