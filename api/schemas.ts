/**
 * Every request body and query the API accepts, as zod schemas. The same schemas validate
 * requests and generate the OpenAPI document (`/openapi.json`).
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  ADDRESS_OUTCOMES, ALERT_RECIPIENTS, BIOMETRIC_METHODS, CALENDARS, FOLLOW_UP_OUTCOMES, IDENTIFICATION_OUTCOMES,
  NEEDS, ROLES, SEXES, SLA_STEPS, STAGES,
} from '../domain/case.js';
import { checkNik } from '../domain/nik.js';
import { PPKS_TYPE_CODES } from '../domain/ppks-types.js';
import { REGION_CODES } from '../domain/regions.js';
import { durationProblem } from '../domain/sla.js';

extendZodWithOpenApi(z);

const instant = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-27T09:30:00+07:00' });
const pastInstant = instant.refine((value) => Date.parse(value) <= Date.now() + 5 * 60_000, 'must not be in the future');
const freeText = (max: number) => z.string().trim().min(1).max(max);

export const RegionCode = z.enum(REGION_CODES).openapi('RegionCode', { description: 'Kemendagri kab/kota code `PP.KK` in East Java (35.78 = Kota Surabaya)' });
export const PpksType = z.enum(PPKS_TYPE_CODES).openapi('PpksType', { description: 'One of the 26 statutory PPKS types (Permensos 08/2012)' });

export const Nik = z
  .string()
  .superRefine((nik, ctx) => {
    for (const problem of checkNik(nik).problems) ctx.addIssue({ code: 'custom', message: `not a well-formed NIK: ${problem}` });
  })
  .openapi({ description: '16-digit NIK; checked for structure (region, date of birth, serial), not existence', example: '3578014507800001' });

export const Person = z
  .strictObject({
    name: freeText(200).optional(),
    sex: z.enum(SEXES),
    estimatedAge: z.number().int().min(0).max(130).optional(),
    nik: Nik.optional(),
    description: freeText(2000).optional(),
  })
  .openapi('Person', { description: 'Personal data (UU 27/2022): shown only in the full view of one case' });

export const IntakeBody = z
  .strictObject({
    ppksType: PpksType,
    foundAt: pastInstant,
    foundRegion: RegionCode,
    foundPlace: freeText(500).optional(),
    person: Person,
    needs: z.array(z.enum(NEEDS)).max(NEEDS.length).optional(),
    notes: freeText(2000).optional(),
  })
  .openapi('IntakeReport');

export const IdentificationBody = z
  .strictObject({
    outcome: z.enum(IDENTIFICATION_OUTCOMES),
    nik: Nik.optional(),
    method: z.enum(BIOMETRIC_METHODS).optional(),
  })
  .refine((body) => body.outcome !== 'matched' || body.nik !== undefined, { path: ['nik'], message: 'required when outcome is matched' })
  .openapi('IdentificationResult');

export const AddressBody = z
  .strictObject({
    outcome: z.enum(ADDRESS_OUTCOMES),
    homeRegion: RegionCode.optional(),
    address: freeText(1000).optional(),
  })
  .refine((body) => body.outcome !== 'found' || body.homeRegion !== undefined, { path: ['homeRegion'], message: 'required when outcome is found' })
  .openapi('AddressResult');

export const DepartureBody = z.strictObject({ departedAt: pastInstant.optional(), transport: freeText(200).optional() }).openapi('Departure');
export const HandoverBody = z.strictObject({ receivedBy: freeText(200), receivedAt: pastInstant.optional() }).openapi('Handover');
export const AdmissionBody = z.strictObject({ admittedAt: pastInstant.optional() }).openapi('Admission');
export const FollowUpBody = z
  .strictObject({ outcome: z.enum(FOLLOW_UP_OUTCOMES), visitedAt: pastInstant.optional(), notes: freeText(2000).optional() })
  .openapi('FollowUpReport');
export const CloseBody = z.strictObject({ reason: freeText(1000) }).openapi('Closure');
export const AlertAckBody = z.strictObject({ note: freeText(1000).optional() }).openapi('AlertAcknowledgement');

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const CaseListQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  region: RegionCode.optional(),
  breached: booleanQuery.optional(),
  ppksType: PpksType.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export const AlertListQuery = z.strictObject({
  caseNumber: z.string().max(40).optional(),
  status: z.enum(['open', 'acknowledged']).optional(),
});

const Duration = z.string().max(40).openapi({ example: 'P2D', description: 'ISO 8601 duration' });

export const SlaPolicyBody = z
  .strictObject({
    duration: Duration,
    calendar: z.enum(CALENDARS),
    anchor: z.enum(['stage_entered', 'case_opened']).optional(),
    escalation: z
      .array(z.strictObject({ level: z.number().int().min(1).max(9), after: Duration, recipient: z.enum(ALERT_RECIPIENTS) }))
      .min(1)
      .max(9)
      .optional(),
  })
  .superRefine((body, ctx) => {
    const problem = durationProblem(body.duration, body.calendar);
    if (problem) ctx.addIssue({ code: 'custom', path: ['duration'], message: problem });
    body.escalation?.forEach((rung, index) => {
      const rungProblem = durationProblem(rung.after, body.calendar);
      if (rungProblem) ctx.addIssue({ code: 'custom', path: ['escalation', index, 'after'], message: rungProblem });
      if (rung.level !== index + 1) ctx.addIssue({ code: 'custom', path: ['escalation', index, 'level'], message: 'levels must run 1, 2, 3, ... in order' });
    });
  })
  .openapi('SlaPolicyChange');

export const SlaStepParam = z.enum(SLA_STEPS);

// --- responses (documentation only) -----------------------------------------------------

const CaseStep = z.object({
  stage: z.string(),
  outcome: z.string(),
  by: z.string(),
  at: instant,
  details: z.record(z.string(), z.string()).optional(),
  remarks: z.string().optional(),
});

export const CaseView = z
  .object({
    caseNumber: z.string().openapi({ example: '3578-2026-000001' }),
    workflowId: z.string().openapi({ example: 'case-3578-2026-000001' }),
    status: z.enum(['open', 'closed']),
    stage: z.enum(STAGES),
    ppksType: PpksType,
    foundRegion: RegionCode,
    homeRegion: RegionCode.nullable(),
    upt: z.string().nullable(),
    openedAt: instant,
    closedAt: instant.nullable(),
    outcome: z.string().nullable(),
    ownerRole: z.enum(ROLES).nullable(),
    waitingFor: z.string().nullable(),
    sla: z.object({ stage: z.enum(SLA_STEPS), dueAt: instant, breached: z.boolean(), policyVersion: z.number() }).nullable(),
    escalationLevel: z.number().int(),
    steps: z.array(CaseStep),
    needs: z.array(z.enum(NEEDS)),
    person: Person.optional(),
    foundAt: instant.optional(),
    foundPlace: z.string().optional(),
    address: z.string().nullable().optional(),
    notes: z.string().optional(),
    personMasked: z
      .object({ initials: z.string().nullable(), nikLast4: z.string().nullable(), sex: z.enum(SEXES), estimatedAge: z.number().int().nullable() })
      .optional()
      .openapi({ description: 'In lists only, instead of `person`: initials and the last 4 NIK digits' }),
  })
  .openapi('CaseView');

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const Alert = z
  .object({
    id: z.string(),
    kind: z.enum(['sla_breach', 'no_bed']),
    caseNumber: z.string(),
    stage: z.string(),
    step: z.string(),
    level: z.number().int(),
    recipientRole: z.string(),
    regionCode: z.string().nullable(),
    uptCode: z.string().nullable(),
    dueAt: instant.nullable(),
    createdAt: instant,
    acknowledgedAt: instant.nullable(),
    acknowledgedBy: z.string().nullable(),
  })
  .openapi('Alert');

export const Upt = z
  .object({
    code: z.string(),
    name: z.string(),
    city: z.string(),
    regionCode: z.string().nullable(),
    serves: z.array(PpksType),
    capacity: z.number().int(),
    capacityReported: z.boolean(),
    occupied: z.number().int(),
    reserved: z.number().int(),
  })
  .openapi('Upt');

export const SlaPolicy = z
  .object({
    step: z.enum(SLA_STEPS),
    duration: z.string(),
    calendar: z.enum(CALENDARS),
    anchor: z.enum(['stage_entered', 'case_opened']),
    escalation: z.array(z.object({ level: z.number().int(), after: z.string(), recipient: z.enum(ALERT_RECIPIENTS) })),
    version: z.number().int(),
    updatedAt: instant,
    updatedBy: z.string().nullable(),
  })
  .openapi('SlaPolicy');

export const AuditEntry = z
  .object({
    seq: z.number().int(),
    entryKey: z.string().openapi({ description: 'The Update ID of the step (or the key of the change)' }),
    caseNumber: z.string().nullable(),
    action: z.string().openapi({ example: 'case.identification' }),
    agencyId: z.string(),
    role: z.string(),
    requestId: z.string().nullable(),
    requestHash: z.string().openapi({ description: 'SHA-256 of the action, case and validated request body' }),
    at: instant,
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    rowHash: z.string(),
  })
  .openapi('AuditEntry');

export const AccessLogEntry = z
  .object({ id: z.string(), caseNumber: z.string(), agencyId: z.string(), role: z.string(), endpoint: z.string(), requestId: z.string(), at: instant })
  .openapi('AccessLogEntry');
