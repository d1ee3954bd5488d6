/**
 * Every step an agency or a supervisor posts on a case, defined once. Each entry is the Workflow
 * Update of that name and holds what everything else derives from: its HTTP path
 * (`POST /v1/cases/{caseNumber}/<path>`), its request body, the access-matrix action (also its
 * name in the audit trail), who may post it, the SLA step it completes with that step's default
 * SLA, and the one-line summary the OpenAPI document and the console show.
 *
 * The workflow imports this file's types only (`import type`): zod stays out of the workflow
 * bundle, which it would make three times larger and slower to replay (`npm run bench:bundle`).
 * How to add a step: docs/development.md, "Adding a step for a new agency".
 */
import type { Grants } from '../api/access.js';
import {
  ADDRESS_OUTCOMES,
  BIOMETRIC_METHODS,
  type Calendar,
  FOLLOW_UP_OUTCOMES,
  HEALTH_FACILITY_TYPES,
  IDENTIFICATION_OUTCOMES,
  type Role,
  type SlaStep,
} from './case.js';
import { OTHER_PROVINCE_CODES } from './provinces.js';
import { freeText, isoDuration, Nik, pastInstant, Reason, RegionCode, z } from './schemas.js';
import { extensionProblem } from './sla.js';

/** A step's default SLA, seeded as version 1 of its policy; supervisors change it as data. */
interface DefaultSla {
  step: SlaStep;
  duration: string;
  calendar: Calendar;
}

interface StepDefinition {
  action: `case.${string}`;
  path: string;
  body: z.ZodType;
  grants: Grants;
  /** The SLA clock this step stops, and that clock's default; null for supervisors' steps. */
  sla: DefaultSla | null;
  summary: string;
}

const receivedBy = freeText(200).openapi({ description: 'Who took the person over (a name: personal data)' });

/** Roles a supervisor may hand a step to: the roles that own a step's SLA clock. */
const STEP_OWNER_ROLES = ['dinkes', 'dukcapil', 'dinsos_prov', 'dinsos_kabkota', 'upt'] as const satisfies readonly Role[];

export const STEPS = {
  // --- Dinkes: a person flagged psychiatric or medical goes to an RSJ or hospital first.
  recordHealthReferral: {
    action: 'case.health_referral',
    path: 'health/referral',
    body: z
      .strictObject({ facilityType: z.enum(HEALTH_FACILITY_TYPES), facility: freeText(200), referredAt: pastInstant.optional() })
      .openapi('HealthReferral'),
    grants: { dinkes: 'any' },
    sla: { step: 'health_referral', duration: 'P1D', calendar: 'continuous' },
    summary: 'Referral to an RSJ, hospital or puskesmas (cases flagged psychiatric or medical)',
  },
  recordHealthDischarge: {
    action: 'case.health_discharge',
    path: 'health/discharge',
    body: z.strictObject({ dischargedAt: pastInstant.optional(), notes: freeText(2000).optional() }).openapi('HealthDischarge'),
    grants: { dinkes: 'any' },
    // An RSJ stay of about 20 days is the cited example (docs/domain-facts.md section 5): proposed, not a rule.
    sla: { step: 'health_discharge', duration: 'P30D', calendar: 'continuous' },
    summary: 'Discharged: the case goes on to identification',
  },

  // --- DP3AK (role dukcapil): the biometric identity check.
  recordIdentification: {
    action: 'case.identification',
    path: 'identification',
    body: z
      .strictObject({ outcome: z.enum(IDENTIFICATION_OUTCOMES), nik: Nik.optional(), method: z.enum(BIOMETRIC_METHODS).optional() })
      .refine((body) => body.outcome !== 'matched' || body.nik !== undefined, {
        path: ['nik'],
        message: 'required when outcome is matched',
      })
      .openapi('IdentificationResult'),
    grants: { dukcapil: 'any' },
    sla: { step: 'identification', duration: 'P2D', calendar: 'continuous' },
    summary: 'Biometric identification result (DP3AK)',
  },

  // --- Dinsos: the address, then home (repatriation) or to another province (relay).
  recordAddress: {
    action: 'case.address',
    path: 'address',
    body: z
      .strictObject({
        outcome: z.enum(ADDRESS_OUTCOMES),
        homeRegion: RegionCode.optional(),
        homeProvince: z
          .enum(OTHER_PROVINCE_CODES)
          .optional()
          .openapi({ description: 'Instead of homeRegion: a home in another province (code), reached by relay' }),
        address: freeText(1000).optional(),
      })
      .refine((body) => body.outcome !== 'found' || (body.homeRegion === undefined) !== (body.homeProvince === undefined), {
        path: ['homeRegion'],
        message: 'exactly one of homeRegion (East Java) or homeProvince (elsewhere) when outcome is found',
      })
      .refine((body) => body.outcome === 'found' || (body.homeRegion === undefined && body.homeProvince === undefined), {
        path: ['outcome'],
        message: 'a home region or province comes with outcome found',
      })
      .openapi('AddressResult'),
    grants: { dinsos_prov: 'any', dinsos_kabkota: 'found_or_home_region' },
    sla: { step: 'address_lookup', duration: 'P3D', calendar: 'continuous' },
    summary: 'Address found / not found',
  },
  recordDeparture: {
    action: 'case.departure',
    path: 'repatriation/departure',
    body: z.strictObject({ departedAt: pastInstant.optional(), transport: freeText(200).optional() }).openapi('Departure'),
    grants: { dinsos_prov: 'any' },
    // Dinsos Jatim's service standard: one working day.
    sla: { step: 'repatriation_departure', duration: 'P1D', calendar: 'working_days' },
    summary: 'The person departed home',
  },
  recordHandover: {
    action: 'case.handover',
    path: 'repatriation/handover',
    body: z.strictObject({ receivedBy, receivedAt: pastInstant.optional() }).openapi('Handover'),
    grants: { dinsos_kabkota: 'home_region', dinsos_prov: 'case_owner' },
    sla: { step: 'repatriation_handover', duration: 'P3D', calendar: 'continuous' },
    summary: 'The home region received the person',
  },
  // Per relay leg. Inter-island legs wait on ships: proposed, and a supervisor pauses the clock for a ship.
  recordRelayDeparture: {
    action: 'case.relay_departure',
    path: 'relay/departure',
    body: z.strictObject({ departedAt: pastInstant.optional(), transport: freeText(200).optional() }).openapi('RelayDeparture'),
    grants: { dinsos_prov: 'any' },
    sla: { step: 'relay_departure', duration: 'P1D', calendar: 'working_days' },
    summary: "A relay leg departed towards the next province's Dinsos (home in another province)",
  },
  recordRelayHandover: {
    action: 'case.relay_handover',
    path: 'relay/handover',
    body: z.strictObject({ receivedBy, receivedAt: pastInstant.optional() }).openapi('RelayHandover'),
    grants: { dinsos_prov: 'any' },
    sla: { step: 'relay_handover', duration: 'P3D', calendar: 'continuous' },
    summary: "That province's Dinsos received the person; the last leg closes the case",
  },

  // --- UPT: admission to a reserved bed, transfers, follow-up visits.
  recordAdmission: {
    action: 'case.admission',
    path: 'placement/admission',
    body: z.strictObject({ admittedAt: pastInstant.optional() }).openapi('Admission'),
    grants: { upt: 'own_upt' },
    sla: { step: 'placement_admission', duration: 'P1D', calendar: 'continuous' },
    summary: 'The UPT admitted the person',
  },
  transferUpt: {
    action: 'case.transfer',
    path: 'placement/transfer',
    body: z.strictObject({ toUpt: z.string().min(1).max(80), reason: freeText(1000) }).openapi('UptTransfer'),
    grants: { dinsos_prov: 'any', supervisor: 'any' },
    sla: null,
    summary: "Move the person's UPT place (reserved or occupied) to another UPT; 409 when it has no bed for them",
  },
  recordFollowUp: {
    action: 'case.follow_up',
    path: 'follow-ups',
    body: z
      .strictObject({ outcome: z.enum(FOLLOW_UP_OUTCOMES), visitedAt: pastInstant.optional(), notes: freeText(2000).optional() })
      .openapi('FollowUpReport'),
    grants: { dinsos_kabkota: 'case_owner', upt: 'case_owner' },
    sla: { step: 'follow_up', duration: 'P30D', calendar: 'continuous' },
    summary: 'Follow-up visit report; reunified, independent, deceased or left closes the case',
  },

  // --- Supervisors: closure and overrides, each with a reason.
  closeCase: {
    action: 'case.close',
    path: 'close',
    body: z.strictObject({ reason: freeText(1000) }).openapi('Closure'),
    grants: { supervisor: 'any' },
    sla: null,
    summary: 'Close the case',
  },
  pauseSla: {
    action: 'case.pause',
    path: 'pause',
    body: z.strictObject({ reason: Reason }).openapi('SlaPause'),
    grants: { supervisor: 'any' },
    sla: null,
    summary: 'Stop the SLA clock while the case waits on a third party (a ship, a hospital stay)',
  },
  resumeSla: {
    action: 'case.resume',
    path: 'resume',
    body: z.strictObject({ reason: Reason }).openapi('SlaResume'),
    grants: { supervisor: 'any' },
    sla: null,
    summary: 'Restart the SLA clock; the paused time is left out of the SLA',
  },
  extendSla: {
    action: 'case.sla_extension',
    path: 'sla-extensions',
    body: z
      .strictObject({ extendBy: isoDuration, reason: Reason })
      .superRefine((body, ctx) => {
        const problem = extensionProblem(body.extendBy);
        if (problem) ctx.addIssue({ code: 'custom', path: ['extendBy'], message: problem });
      })
      .openapi('SlaExtension'),
    grants: { supervisor: 'any' },
    sla: null,
    summary: "Extend the current step's SLA (due time and escalations still to come)",
  },
  reassignStep: {
    action: 'case.reassignment',
    path: 'reassignments',
    body: z.strictObject({ ownerRole: z.enum(STEP_OWNER_ROLES), reason: Reason }).openapi('Reassignment'),
    grants: { supervisor: 'any' },
    sla: null,
    summary: 'Hand the current step (and its alerts) to another role',
  },
  moveOnByException: {
    action: 'case.move_on',
    path: 'move-on',
    body: z.strictObject({ homeRegion: RegionCode.optional(), reason: Reason }).openapi('ExceptionalMove'),
    grants: { supervisor: 'any' },
    sla: null,
    summary: 'Move the case on without the step it waits for',
  },
  reopenCase: {
    action: 'case.reopen',
    path: 'reopen',
    body: z.strictObject({ reason: Reason }).openapi('Reopening'),
    grants: { supervisor: 'any' },
    sla: null,
    summary: 'Reopen a closed case (within 30 days of closure) in the stage it was closed in',
  },
} as const satisfies Record<string, StepDefinition>;

export type StepName = keyof typeof STEPS;
export const STEP_NAMES = Object.keys(STEPS) as StepName[];
/** The body a step takes, as validated (the workflow's input type for that Update). */
export type StepInput<N extends StepName> = z.output<(typeof STEPS)[N]['body']>;

/** The SLA steps some posted step completes; the others are the workflow's own (a bed found). */
export type SlaStepCompletedByAStep = Exclude<(typeof STEPS)[StepName]['sla'], null>['step'];

/** The Updates that are not posted steps: the intake (sent with the start) and a policy rollout. */
const OTHER_UPDATE_ACTIONS = { confirmIntake: 'case.intake', applySlaPolicy: 'sla_policy.apply' } as const;
export type CaseUpdateName = StepName | keyof typeof OTHER_UPDATE_ACTIONS;

/** A case Update's name in the audit trail and the access matrix. */
export function auditActionOf(update: CaseUpdateName): string {
  return update in OTHER_UPDATE_ACTIONS
    ? OTHER_UPDATE_ACTIONS[update as keyof typeof OTHER_UPDATE_ACTIONS]
    : STEPS[update as StepName].action;
}
