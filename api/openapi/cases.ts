/** The documented case routes: intake, lists, one case, every step (from domain/steps.ts), its audit trail and access log, repeat-client decisions. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { IntakeReport, z } from '../../domain/schemas.js';
import { STEP_NAMES, STEPS } from '../../domain/steps.js';
import type { Action } from '../access.js';
import { AccessLogEntry, AuditEntry, CaseDetail, CaseListQuery, CaseMatch, CaseMatchBody, FullCase, ListedCase } from '../schemas/cases.js';
import { accepted, caseNumber, created, idempotencyKey, items, json, ok, paged, problem, route } from './common.js';

function stepRoute(action: Action, summary: string, body: z.ZodType): RouteConfig {
  return route(action, {
    summary,
    description: 'Posted in the wrong stage: 409, nothing changes. The read is recorded in the access log.',
    request: { params: caseNumber, headers: idempotencyKey(false), body: json(body) },
    responses: ok('The case view after the step', FullCase, {
      ...accepted(
        'Accepted and recorded, but its reaction (a database or registry call) is still running: the view as it stands',
        FullCase,
      ),
      404: problem('Unknown case'),
      409: problem('Step not valid now, or Idempotency-Key reused with another body'),
    }),
  });
}

export const caseRoutes: RouteConfig[] = [
  route('case.intake', {
    summary: 'Intake: report a person picked up',
    description: 'A replayed Idempotency-Key returns the same case with 200.',
    request: { headers: idempotencyKey(true), body: json(IntakeReport) },
    responses: {
      ...created('Case opened', FullCase, true),
      200: { description: 'Replayed key: the same case', ...json(FullCase) },
      409: problem('Idempotency-Key reused with another body'),
    },
  }),
  route('case.list', {
    summary: 'List cases in scope (personal data masked: initials, last 4 NIK digits)',
    description:
      'Newest first. Follow `next`; `nextPage` (the page number after a `page` request, null after a `cursor`) is kept for v1 clients.',
    request: { query: CaseListQuery },
    responses: paged('A page of cases', ListedCase, { nextPage: z.number().int().nullable() }),
    scopeFilters: true,
  }),
  route('case.read', {
    summary: 'One case: state, SLA, steps',
    description: 'The read is recorded in the access log.',
    request: { params: caseNumber },
    responses: ok("The case view, with the person's other cases", CaseDetail, { 404: problem('Unknown case') }),
  }),
  ...STEP_NAMES.map((name) => stepRoute(STEPS[name].action, STEPS[name].summary, STEPS[name].body)),
  route('case.audit', {
    summary: "The case's audit trail: every accepted change, hash-chained",
    request: { params: caseNumber },
    responses: ok('Audit entries in order', items(AuditEntry), { 404: problem('Unknown case') }),
  }),
  route('case.access_log', {
    summary: "Who read this case's personal data, when, and through which endpoint",
    request: { params: caseNumber },
    responses: ok('Reads in order', items(AccessLogEntry), { 404: problem('Unknown case') }),
  }),
  route('case.match', {
    summary: 'Confirm or reject a possible repeat client (another case of the same person)',
    description:
      'Either case of the pair may be in the path. A confirmed pair links the cases; the view then shows `linkedCases` and `repatriatedBefore`. Audited.',
    request: { params: caseNumber, body: json(CaseMatchBody) },
    responses: ok('The decided pair', CaseMatch, {
      404: problem('Unknown case, or no such possible match'),
      409: problem('Already decided'),
    }),
  }),
];
