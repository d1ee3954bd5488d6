/** The names the console shows for the API's codes: stages and roles from the dictionaries, regions and PPKS types from the service's own lists. */
import { PPKS_TYPES } from '../../domain/ppks-types.js';
import { REGIONS } from '../../domain/regions.js';
import type { Role, Stage, StepStage } from './api/client';
import type { Translate } from './i18n';

/** Every stage a case can be in, in the order a case usually meets them (a Record, so a stage the API adds is a compile error here). */
const STAGE_ORDER: Record<Stage, number> = {
  health: 0,
  identification: 1,
  address_lookup: 2,
  repatriation: 3,
  relay: 4,
  placement: 5,
  follow_up: 6,
  closed: 7,
};
export const STAGES = (Object.keys(STAGE_ORDER) as Stage[]).sort((a, b) => STAGE_ORDER[a] - STAGE_ORDER[b]);

export const stageName = (stage: StepStage, t: Translate) => t(`tahap.${stage}`);
/** Agencies by role as East Java names them: role `dukcapil` is DP3AK. */
export const roleName = (role: Role, t: Translate) => t(`peran.${role}`);

export const REGION_CODES = Object.keys(REGIONS) as (keyof typeof REGIONS)[];
export const regionName = (code: string | null | undefined) => (code ? ((REGIONS as Record<string, string>)[code] ?? code) : null);

export const PPKS_TYPE_CODES = Object.keys(PPKS_TYPES) as (keyof typeof PPKS_TYPES)[];
export const ppksTypeName = (code: string) => (PPKS_TYPES as Record<string, string>)[code] ?? code;

/** A stage as an alert or a statistic names it: the dictionary's name when it is one of ours, else the code as given. */
export const stageNameOf = (stage: string, t: Translate) => (isStage(stage) ? stageName(stage, t) : stage);
const isStage = (stage: string): stage is Stage => (STAGES as string[]).includes(stage);

/** Who an alert is addressed to: an agency's role, or the head of office (escalation level 3). */
export const recipientName = (recipient: string, t: Translate) =>
  recipient === 'head_of_office' ? t('peran.head_of_office') : isRole(recipient) ? roleName(recipient, t) : recipient;
/** Every role (a Record, so a role the API adds is a compile error here). */
const ROLES: Record<Role, true> = {
  satpol_pp: true,
  dinsos_kabkota: true,
  dukcapil: true,
  dinsos_prov: true,
  upt: true,
  dinkes: true,
  supervisor: true,
  auditor: true,
};
const isRole = (role: string): role is Role => Object.hasOwn(ROLES, role);
