/** The OpenAPI document, generated from the same zod schemas that validate requests. */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { SLA_STEPS } from '../domain/case.js';
import {
  AddressBody, AdmissionBody, Alert, AlertAckBody, AlertListQuery, CaseListQuery, CaseView, CloseBody, DepartureBody,
  FollowUpBody, HandoverBody, IdentificationBody, IntakeBody, Problem, SlaPolicy, SlaPolicyBody, Upt,
} from './schemas.js';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });
const errors = {
  400: problem('Bad input; `errors` names each field'),
  401: problem('No or unknown API key'),
  403: problem('Role or scope not allowed'),
  503: problem('Temporal or the database is unavailable; see Retry-After'),
};
const caseNumber = z.object({ caseNumber: z.string().openapi({ example: '3578-2026-000001' }) });
const idempotencyKey = (required: boolean) =>
  z.object({ 'Idempotency-Key': required ? z.string().min(1).max(200) : z.string().min(1).max(200).optional() });

function stepRoute(path: string, summary: string, roles: string, body: z.ZodType): RouteConfig {
  return {
    method: 'post',
    path: `/v1/cases/{caseNumber}/${path}`,
    summary,
    description: `Who: ${roles}. Posted in the wrong stage: 409, nothing changes.`,
    request: { params: caseNumber, headers: idempotencyKey(false), body: json(body) },
    responses: { 200: { description: 'The case view after the step', ...json(CaseView) }, ...errors, 404: problem('Unknown case'), 409: problem('Step not valid now, or Idempotency-Key reused with another body') },
  };
}

export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'Agency API key from `npm run agency -- add`' });
  const routes: RouteConfig[] = [
    {
      method: 'post', path: '/v1/cases', summary: 'Intake: report a person picked up',
      description: 'Who: satpol_pp, dinsos_kabkota (own region), dinsos_prov. A replayed Idempotency-Key returns the same case with 200.',
      request: { headers: idempotencyKey(true), body: json(IntakeBody) },
      responses: { 201: { description: 'Case opened', ...json(CaseView) }, 200: { description: 'Replayed key: the same case', ...json(CaseView) }, ...errors, 409: problem('Idempotency-Key reused with another body') },
    },
    {
      method: 'get', path: '/v1/cases', summary: 'List cases in scope (no personal data)', request: { query: CaseListQuery },
      responses: { 200: { description: 'A page of cases', ...json(z.object({ items: z.array(CaseView), nextPage: z.number().int().nullable() })) }, ...errors },
    },
    {
      method: 'get', path: '/v1/cases/{caseNumber}', summary: 'One case: state, SLA, steps', request: { params: caseNumber },
      responses: { 200: { description: 'The case view', ...json(CaseView) }, ...errors, 404: problem('Unknown case') },
    },
    stepRoute('identification', 'Biometric identification result', 'dukcapil', IdentificationBody),
    stepRoute('address', 'Address found / not found', 'dinsos_prov, dinsos_kabkota', AddressBody),
    stepRoute('repatriation/departure', 'The person departed home', 'dinsos_prov', DepartureBody),
    stepRoute('repatriation/handover', 'The home region received the person', 'dinsos_kabkota of the home region', HandoverBody),
    stepRoute('placement/admission', 'The UPT admitted the person', 'the upt holding the reservation', AdmissionBody),
    stepRoute('follow-ups', 'Follow-up visit report', 'dinsos_kabkota of the home region, or the upt', FollowUpBody),
    stepRoute('close', 'Close the case', 'supervisor', CloseBody),
    {
      method: 'get', path: '/v1/alerts', summary: 'Escalation inbox of your agency', request: { query: AlertListQuery },
      responses: { 200: { description: 'Alerts', ...json(z.object({ items: z.array(Alert) })) }, ...errors },
    },
    {
      method: 'post', path: '/v1/alerts/{id}/ack', summary: 'Acknowledge an alert', request: { params: z.object({ id: z.string() }), body: json(AlertAckBody) },
      responses: { 200: { description: 'The acknowledged alert', ...json(Alert) }, ...errors, 404: problem('No such alert for your agency') },
    },
    {
      method: 'get', path: '/v1/upts', summary: 'UPT capacity and occupancy',
      responses: { 200: { description: 'UPTs', ...json(z.object({ items: z.array(Upt) })) }, ...errors },
    },
    {
      method: 'get', path: '/v1/sla-policies', summary: 'SLA policy per step (supervisor)',
      responses: { 200: { description: 'Policies', ...json(z.object({ items: z.array(SlaPolicy) })) }, ...errors },
    },
    {
      method: 'put', path: '/v1/sla-policies/{stage}', summary: 'Change the SLA of a step (supervisor); applies to steps entered afterwards',
      request: { params: z.object({ stage: z.enum(SLA_STEPS) }), body: json(SlaPolicyBody) },
      responses: { 200: { description: 'The new policy version', ...json(SlaPolicy) }, ...errors },
    },
  ];
  for (const route of routes) registry.registerPath({ ...route, security: [{ apiKey: [] }] });
  registry.registerPath({ method: 'get', path: '/healthz', summary: 'Liveness', responses: { 200: { description: 'Up' } } });
  registry.registerPath({ method: 'get', path: '/readyz', summary: 'Readiness: Temporal and PostgreSQL reachable', responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready' } } });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'PPKS case service — agency API',
      version: '1.0.0',
      description: 'Dinas Sosial Jawa Timur and partner agencies: cases of people in need of social-welfare services (PPKS). Errors are application/problem+json (RFC 9457).',
    },
  });
}
