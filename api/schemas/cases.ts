/**
 * `/v1/cases` beyond the steps (whose bodies are in domain/steps.ts): the list query, a repeat
 * client's match decision, and the case, its audit trail and its access log as answered.
 */
import { ROLES, STAGES } from '../../domain/case.js';
import { CASE_STEP_FIELDS, CASE_VIEW_FIELDS } from '../../domain/case-view.js';
import { CaseStep, CaseView, instant, PpksType, Reason, RegionCode, z } from '../../domain/schemas.js';
import { booleanQuery, pageQuery } from '../pagination.js';

export const CaseListQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  region: RegionCode.optional(),
  breached: booleanQuery.optional(),
  ppksType: PpksType.optional(),
  status: z.enum(['open', 'closed']).optional(),
  ownerRole: z
    .enum(ROLES)
    .optional()
    .openapi({ description: 'Only the cases whose current step that role holds (a work list: what waits on us)' }),
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .openapi({ type: 'integer', description: 'Page number (1 when left out), `limit` rows a page; kept for v1 clients: prefer `next`' }),
  ...pageQuery,
});

// --- repeat clients --------------------------------------------------------------------

export const CaseMatchBody = z
  .strictObject({
    caseNumber: z
      .string()
      .regex(/^\d{4}-\d{4}-\d{6}$/, 'a case number')
      .openapi({ example: '3578-2026-000001', description: 'The other case of the pair' }),
    decision: z.enum(['confirmed', 'rejected']),
    reason: Reason,
  })
  .openapi('MatchDecision');
export const CaseMatch = z
  .object({
    caseNumber: z.string().openapi({ description: 'The later case of the pair' }),
    otherCaseNumber: z.string().openapi({ description: 'The earlier case' }),
    score: z.number(),
    reasons: z.array(z.string()),
    decision: z.enum(['confirmed', 'rejected']),
    decidedBy: z.string(),
    decidedAt: instant,
  })
  .openapi('CaseMatch');

// --- responses (documentation only) -----------------------------------------------------

/** What GET of one case and every step answer: the full view (the person unmasked). */
export const FullCase = CaseView.omit({ personMasked: true }).openapi('CaseView');

/** The fields a disclosure table marks `listed`, as a zod pick mask. */
const listedOf = <F extends string>(fields: Record<F, 'listed' | 'private'>) =>
  Object.fromEntries(Object.entries(fields).flatMap(([field, disclosure]) => (disclosure === 'listed' ? [[field, true]] : []))) as {
    [K in F]?: true;
  };
/** A case in a list: only the fields named safe (domain/case-view.ts), the person masked. */
export const ListedCase = CaseView.pick(listedOf(CASE_VIEW_FIELDS))
  .extend({ steps: z.array(CaseStep.pick(listedOf(CASE_STEP_FIELDS))) })
  .openapi('ListedCase', {
    description:
      'A case in a list: only the fields named safe, the person masked (initials, last 4 NIK digits); no health needs, no step details',
  });

/** GET of one case: the case view, and what the person's other cases say (api/case-links.ts). */
export const CaseDetail = FullCase.extend({
  possibleMatches: z.array(z.object({ caseNumber: z.string(), score: z.number().min(0).max(1), reasons: z.array(z.string()) })).openapi({
    description: 'Cases that may be the same person, undecided, best first (a NIK scores 1); only those the reader may read',
  }),
  linkedCases: z
    .array(z.object({ caseNumber: z.string(), repatriatedOn: z.iso.date().nullable() }))
    .openapi({ description: 'Cases a supervisor confirmed as the same person; only those the reader may read' }),
  repatriatedBefore: z
    .object({
      caseNumber: z.string().nullable().openapi({ description: 'Null when the reader may not read that case' }),
      on: z.iso.date(),
    })
    .nullable()
    .openapi({ description: 'The person was repatriated before (once-per-lifetime help)' }),
  agencies: z.array(z.object({ agencyId: z.string(), name: z.string(), role: z.enum(ROLES) })).openapi({
    description:
      'The agencies that recorded its steps (`steps[].by` holds their IDs), by name and role; the workflow itself (`system`) is not one',
  }),
}).openapi('CaseDetail');

export const AuditEntry = z
  .object({
    seq: z.number().int(),
    entryKey: z.string().openapi({ description: 'The Update ID of the step (or the key of the change)' }),
    caseNumber: z.string().nullable(),
    action: z.string().openapi({ example: 'case.identification' }),
    agencyId: z.string(),
    agencyName: z.string().nullable().openapi({ description: "The agency's name as it is now; null for the workflow itself (`system`)" }),
    role: z.string(),
    userId: z.string().nullable().openapi({ description: 'The person signed in who made the change; null for an API key or an operator' }),
    personName: z.string().nullable().openapi({ description: "That person's name as it is now; null without a person" }),
    requestId: z.string().nullable(),
    requestHash: z.string().openapi({ description: 'Keyed HMAC (`<key ID>.<base64url>`) of the action, case and validated request body' }),
    at: instant,
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    rowHash: z.string(),
  })
  .openapi('AuditEntry');

export const AccessLogEntry = z
  .object({
    id: z.string(),
    caseNumber: z.string(),
    agencyId: z.string(),
    agencyName: z.string().nullable().openapi({ description: "The agency's name as it is now; null for the workflow itself (`system`)" }),
    role: z.string(),
    userId: z.string().nullable().openapi({ description: 'The person signed in who read it; null for an API key' }),
    personName: z.string().nullable().openapi({ description: "That person's name as it is now; null without a person" }),
    endpoint: z.string(),
    requestId: z.string(),
    at: instant,
  })
  .openapi('AccessLogEntry');
