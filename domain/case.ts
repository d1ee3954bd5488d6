/**
 * The vocabulary of a PPKS case, shared by the workflow and the API.
 * Plain constants and types only: the workflow bundle imports this file.
 */

export const STAGES = ['health', 'identification', 'address_lookup', 'repatriation', 'relay', 'placement', 'follow_up', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

export const ROLES = ['satpol_pp', 'dinsos_kabkota', 'dukcapil', 'dinsos_prov', 'upt', 'dinkes', 'supervisor', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Each role's agency as East Java names it, and what ties one agency of that role to a place:
 * a kab/kota (`--region`), a UPT (`--upt`), or nothing (provincial).
 */
export const ROLE_AGENCIES = {
  satpol_pp: { agency: 'Satpol PP kab/kota', tiedTo: 'region' },
  dinsos_kabkota: { agency: 'Dinsos kab/kota', tiedTo: 'region' },
  dukcapil: { agency: 'DP3AK (civil records and biometric devices)', tiedTo: null },
  dinsos_prov: { agency: 'Dinsos Provinsi Jawa Timur', tiedTo: null },
  upt: { agency: 'UPT (provincial shelter)', tiedTo: 'upt' },
  dinkes: { agency: 'Dinas Kesehatan', tiedTo: null },
  supervisor: { agency: 'Dinsos Jatim supervisor', tiedTo: null },
  auditor: { agency: 'Inspektorat (auditor)', tiedTo: null },
} as const satisfies Record<Role, { agency: string; tiedTo: 'region' | 'upt' | null }>;

/** Roles whose agencies are tied to one kab/kota (`--region`). */
export const REGIONAL_ROLES: readonly Role[] = ROLES.filter((role) => ROLE_AGENCIES[role].tiedTo === 'region');

export const SEXES = ['M', 'F', 'unknown'] as const;
export const NEEDS = ['psychiatric', 'medical', 'disability'] as const;
export type Need = (typeof NEEDS)[number];
/** Needs that send a person to an RSJ or hospital (through Dinkes) before anything else. */
const HEALTH_HOLD_NEEDS: readonly Need[] = ['psychiatric', 'medical'];
export const needsHealthHold = (needs: readonly Need[] | undefined) => (needs ?? []).some((need) => HEALTH_HOLD_NEEDS.includes(need));
export const HEALTH_FACILITY_TYPES = ['rsj', 'hospital', 'puskesmas'] as const;

export const IDENTIFICATION_OUTCOMES = ['matched', 'not_matched', 'not_possible'] as const;
export const BIOMETRIC_METHODS = ['fingerprint', 'face', 'iris'] as const;
export const ADDRESS_OUTCOMES = ['found', 'not_found'] as const;
export const FOLLOW_UP_OUTCOMES = ['stable', 'needs_support', 'reunified', 'independent', 'deceased', 'left'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
/** Follow-up outcomes that end the case; the others schedule the next visit. */
export const CLOSING_FOLLOW_UP_OUTCOMES: readonly FollowUpOutcome[] = ['reunified', 'independent', 'deceased', 'left'];

/**
 * The steps an SLA clock runs for. A stage can hold two (health: referral, then discharge;
 * repatriation: departure, then handover; placement: a bed decision, then admission), and a
 * relay one departure and one handover per leg.
 */
export const SLA_STEPS = [
  'health_referral',
  'health_discharge',
  'identification',
  'address_lookup',
  'repatriation_departure',
  'repatriation_handover',
  'relay_departure',
  'relay_handover',
  'placement',
  'placement_admission',
  'follow_up',
] as const;
export type SlaStep = (typeof SLA_STEPS)[number];

export const CALENDARS = ['continuous', 'working_days'] as const;
export type Calendar = (typeof CALENDARS)[number];

/** Who an escalation rung alerts: the agency owning the step, then up the ladder. */
export const ALERT_RECIPIENTS = ['owner', 'supervisor', 'head_of_office'] as const;
export type AlertRecipient = (typeof ALERT_RECIPIENTS)[number];

export type { IntakeReport, Person } from './schemas.js';

/** The agency behind a request, as authenticated by the API. */
export interface Actor {
  agencyId: string;
  role: Role;
  regionCode: string | null;
  uptCode: string | null;
}

/** Asia/Jakarta is UTC+7 all year (no daylight saving), so times are shown with +07:00. */
export function jakartaTime(epochMs: number): string {
  return new Date(epochMs + 7 * 3_600_000).toISOString().replace('Z', '+07:00');
}
