/**
 * The shapes of a case, once, as zod schemas: the API validates requests with them, the OpenAPI
 * document is generated from them, and the TypeScript types the workflow uses are inferred from
 * them (`import type` only: zod stays out of the workflow bundle, see `npm run bench:bundle`).
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { NEEDS, ROLES, SEXES, SLA_STEPS, STAGES } from './case.js';
import { checkNik } from './nik.js';
import { PPKS_TYPE_CODES } from './ppks-types.js';
import { REGION_CODES } from './regions.js';

extendZodWithOpenApi(z);
export { z };

// --- fields -------------------------------------------------------------------------------

export const instant = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-27T09:30:00+07:00' });
export const pastInstant = instant.refine((value) => Date.parse(value) <= Date.now() + 5 * 60_000, 'must not be in the future');
export const freeText = (max: number) => z.string().trim().min(1).max(max);
export const isoDuration = z.string().max(40).openapi({ example: 'P2D', description: 'ISO 8601 duration' });
export const Reason = freeText(1000).openapi({ description: 'Why: recorded in the case steps and the audit trail' });

export const RegionCode = z
  .enum(REGION_CODES)
  .openapi('RegionCode', { description: 'Kemendagri kab/kota code `PP.KK` in East Java (35.78 = Kota Surabaya)' });
export const PpksType = z
  .enum(PPKS_TYPE_CODES)
  .openapi('PpksType', { description: 'One of the 26 statutory PPKS types (Permensos 08/2012)' });

export const Nik = z
  .string()
  .superRefine((nik, ctx) => {
    for (const problem of checkNik(nik).problems) ctx.addIssue({ code: 'custom', message: `not a well-formed NIK: ${problem}` });
  })
  .openapi({
    description: '16-digit NIK; checked for structure (region, date of birth, serial), not existence',
    example: '3578014507800001',
  });

// --- what Satpol PP reports ---------------------------------------------------------------

export const Person = z
  .strictObject({
    name: freeText(200).optional(),
    sex: z.enum(SEXES),
    estimatedAge: z.number().int().min(0).max(130).optional(),
    nik: Nik.optional(),
    description: freeText(2000).optional(),
  })
  .openapi('Person', { description: 'Personal data (UU 27/2022): shown only in the full view of one case' });
export type Person = z.output<typeof Person>;

export const IntakeReport = z
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
export type IntakeReport = z.output<typeof IntakeReport>;

// --- the case view: what GET and every step return ----------------------------------------

export const CaseStep = z
  .object({
    stage: z.enum([...STAGES, 'intake']),
    outcome: z.string(),
    /** Agency ID, or `system` for what the workflow did by itself. */
    by: z.string(),
    at: instant,
    details: z.record(z.string(), z.string()).optional().openapi({ description: 'Codes and times (method, transport, UPT, home region)' }),
    remarks: z.string().optional().openapi({ description: 'Free text from the agency (officers, notes): personal data' }),
  })
  .openapi('CaseStep');
export type CaseStep = z.output<typeof CaseStep>;

export const StageStay = z
  .object({
    stage: z.enum(STAGES),
    enteredAt: instant,
    leftAt: instant.nullable(),
    ownerRole: z.enum(ROLES).nullable().openapi({ description: "The role that owned the stay's first SLA clock" }),
    breached: z.boolean(),
    pausedMs: z.number(),
  })
  .openapi('StageStay', { description: 'One stay in a stage, for the time-per-stage and breach statistics' });
export type StageStay = z.output<typeof StageStay>;

const SlaStatus = z
  .object({
    stage: z.enum(SLA_STEPS),
    dueAt: instant,
    breached: z.boolean(),
    policyVersion: z.number().int(),
    pausedSince: instant.nullable().optional().openapi({ description: 'Set while a supervisor has stopped the clock' }),
    pausedMs: z.number().optional().openapi({ description: 'Time this clock stood paused so far, left out of the SLA' }),
  })
  .openapi('SlaStatus');

export const MaskedPerson = z
  .object({
    /** "Budi Santoso" -> "B. S." */
    initials: z.string().nullable(),
    nikLast4: z.string().nullable(),
    sex: z.enum(SEXES),
    estimatedAge: z.number().int().nullable(),
  })
  .openapi('MaskedPerson', { description: 'In lists only, instead of `person`: minimum disclosure to tell cases apart' });
export type MaskedPerson = z.output<typeof MaskedPerson>;

export const CaseView = z.object({
  caseNumber: z.string().openapi({ example: '3578-2026-000001' }),
  workflowId: z.string().openapi({ example: 'case-3578-2026-000001' }),
  status: z.enum(['open', 'closed']),
  stage: z.enum(STAGES),
  ppksType: PpksType,
  foundRegion: RegionCode,
  homeRegion: RegionCode.nullable(),
  homeProvince: z
    .string()
    .nullable()
    .optional()
    .openapi({ description: 'A home in another province (Kemendagri province code): the case goes home by relay' }),
  upt: z.string().nullable(),
  openedAt: instant,
  closedAt: instant.nullable(),
  outcome: z.string().nullable().openapi({ description: 'The outcome that closed the case (reunified, closed_by_supervisor, ...)' }),
  ownerRole: z.enum(ROLES).nullable(),
  waitingFor: z.string().nullable().openapi({ description: 'One line, no personal data: what the case waits for now' }),
  sla: SlaStatus.nullable(),
  slaPausedMs: z.number().optional().openapi({ description: 'Paused SLA time over the whole case' }),
  stays: z.array(StageStay).optional().openapi({ description: 'Every stay in a stage, in order (a reopened case re-enters one)' }),
  escalationLevel: z.number().int(),
  steps: z.array(CaseStep),
  needs: z.array(z.enum(NEEDS)),
  person: Person.optional(),
  foundAt: instant.optional(),
  foundPlace: z.string().optional(),
  address: z.string().nullable().optional(),
  notes: z.string().optional(),
  personMasked: MaskedPerson.optional(),
});
export type CaseView = z.output<typeof CaseView>;
