/**
 * Who may do what: one declarative matrix of action x role -> scope rule, enforced here for
 * every endpoint. A role missing from an action's row is refused (403) before anything is read;
 * a role present is then held to its scope rule on the case, intake or alert concerned.
 * `npm run access-matrix` prints the matrix as docs/security.md shows it.
 */
import type { RequestHandler } from 'express';
import { type Actor, ROLES, type Role } from '../domain/case.js';
import { actorOf } from './auth.js';
import { forbidden } from './problem.js';
import { STEP_NAMES, STEPS, type StepName } from '../domain/steps.js';

/** How far a role's permission reaches. */
const SCOPE_RULES = {
  any: 'no scope limit',
  found_region: "the intake's or case's found region is the agency's region",
  found_or_home_region: "the case was found in or returns to the agency's region",
  home_region: "the case's home region is the agency's region",
  own_upt: "the case is placed in the agency's UPT",
  case_owner:
    "the agency owns the case's current step (its UPT, the home region's Dinsos, or Dinsos Jatim when a supervisor handed it the step)",
  alert_recipient: 'the alert is addressed to the agency (supervisors answer for the head of office)',
} as const;
type ScopeRule = keyof typeof SCOPE_RULES;

export type Grants = Partial<Record<Role, ScopeRule>>;

const everyRole = (rule: ScopeRule): Grants => Object.fromEntries(ROLES.map((role) => [role, rule]));
const IN_REGION: Grants = { satpol_pp: 'found_or_home_region', dinsos_kabkota: 'found_or_home_region', upt: 'own_upt' };
const CASE_READERS: Grants = { ...everyRole('any'), ...IN_REGION };
/** Who acts on an alert: its recipients (the auditor only reads). */
const ALERT_RECIPIENTS: Grants = (({ auditor: _auditor, ...recipients }) => recipients)(everyRole('alert_recipient'));
/** Who may see the SLA policies and their history: Dinsos Jatim works under them, auditors check them. */
const POLICY_READERS: Grants = { dinsos_prov: 'any', supervisor: 'any', auditor: 'any' };

/** One row per case step, from its definition: `POST /v1/cases/{caseNumber}/<path>`. */
const STEP_ROWS = Object.fromEntries(
  STEP_NAMES.map((name) => [
    STEPS[name].action,
    { endpoint: `POST /v1/cases/{caseNumber}/${STEPS[name].path}`, grants: STEPS[name].grants },
  ]),
) as { [N in StepName as (typeof STEPS)[N]['action']]: { endpoint: string; grants: (typeof STEPS)[N]['grants'] } };

export const ACCESS_MATRIX = {
  'case.intake': { endpoint: 'POST /v1/cases', grants: { satpol_pp: 'found_region', dinsos_kabkota: 'found_region', dinsos_prov: 'any' } },
  'case.list': { endpoint: 'GET /v1/cases', grants: CASE_READERS },
  'case.read': { endpoint: 'GET /v1/cases/{caseNumber}', grants: CASE_READERS },
  ...STEP_ROWS,
  'case.audit': { endpoint: 'GET /v1/cases/{caseNumber}/audit', grants: { supervisor: 'any', auditor: 'any' } },
  'case.access_log': { endpoint: 'GET /v1/cases/{caseNumber}/access-log', grants: { auditor: 'any' } },
  'case.match': { endpoint: 'POST /v1/cases/{caseNumber}/matches', grants: { supervisor: 'any' } },
  'alert.list': {
    endpoint: 'GET /v1/alerts',
    grants: { ...everyRole('alert_recipient'), dinsos_prov: 'any', supervisor: 'any', auditor: 'any' },
  },
  'alert.ack': {
    endpoint: 'POST /v1/alerts/{id}/ack',
    grants: ALERT_RECIPIENTS,
  },
  'alert.snooze': {
    endpoint: 'POST /v1/alerts/{id}/snooze',
    grants: ALERT_RECIPIENTS,
  },
  'stats.read': { endpoint: 'GET /v1/stats', grants: { dinsos_prov: 'any', supervisor: 'any', auditor: 'any' } },
  'upt.list': { endpoint: 'GET /v1/upts', grants: everyRole('any') },
  'upt.read': { endpoint: 'GET /v1/upts/{code}', grants: everyRole('any') },
  'upt.change': { endpoint: 'PUT /v1/upts/{code}', grants: { supervisor: 'any' } },
  'sla_policy.list': { endpoint: 'GET /v1/sla-policies', grants: POLICY_READERS },
  'sla_policy.read': { endpoint: 'GET /v1/sla-policies/{step}', grants: POLICY_READERS },
  'sla_policy.change': { endpoint: 'PUT /v1/sla-policies/{step}', grants: { supervisor: 'any' } },
  'sla_policy.override_read': { endpoint: 'GET /v1/sla-policies/{step}/ppks-types/{ppksType}', grants: POLICY_READERS },
  'sla_policy.override_change': { endpoint: 'PUT /v1/sla-policies/{step}/ppks-types/{ppksType}', grants: { supervisor: 'any' } },
  'sla_policy.override_remove': { endpoint: 'DELETE /v1/sla-policies/{step}/ppks-types/{ppksType}', grants: { supervisor: 'any' } },
  'sla_policy.versions': { endpoint: 'GET /v1/sla-policies/{step}/versions', grants: POLICY_READERS },
  'holiday.list': { endpoint: 'GET /v1/holidays', grants: everyRole('any') },
  'holiday.read': { endpoint: 'GET /v1/holidays/{date}', grants: everyRole('any') },
  'holiday.change': { endpoint: 'PUT /v1/holidays/{date}', grants: { supervisor: 'any' } },
  'holiday.remove': { endpoint: 'DELETE /v1/holidays/{date}', grants: { supervisor: 'any' } },
  'working_hours.list': { endpoint: 'GET /v1/working-hours', grants: everyRole('any') },
  'working_hours.read': { endpoint: 'GET /v1/working-hours/{role}', grants: everyRole('any') },
  'working_hours.change': { endpoint: 'PUT /v1/working-hours/{role}', grants: { supervisor: 'any' } },
  'webhook.register': { endpoint: 'POST /v1/webhooks', grants: { supervisor: 'any' } },
  'webhook.list': { endpoint: 'GET /v1/webhooks', grants: { supervisor: 'any' } },
  'webhook.disable': { endpoint: 'DELETE /v1/webhooks/{id}', grants: { supervisor: 'any' } },
  'webhook.deliveries': { endpoint: 'GET /v1/webhooks/{id}/deliveries', grants: { supervisor: 'any' } },
  'sla_policy.apply': { endpoint: 'POST /v1/sla-policies/{step}/apply', grants: { supervisor: 'any' } },
  'payloads.decode': { endpoint: 'POST /codec/decode', grants: { supervisor: 'any' } },
  // People of any agency (docs/security.md, "Who manages people"): supervisors only, not an agency's own head.
  'person.list': { endpoint: 'GET /v1/agencies/{agencyId}/people', grants: { supervisor: 'any' } },
  'person.add': { endpoint: 'POST /v1/agencies/{agencyId}/people', grants: { supervisor: 'any' } },
  'person.disable': { endpoint: 'POST /v1/people/{userId}/disable', grants: { supervisor: 'any' } },
  'person.enable': { endpoint: 'POST /v1/people/{userId}/enable', grants: { supervisor: 'any' } },
  'person.reset_password': { endpoint: 'POST /v1/people/{userId}/reset-password', grants: { supervisor: 'any' } },
  'person.reset_totp': { endpoint: 'POST /v1/people/{userId}/reset-totp', grants: { supervisor: 'any' } },
} as const satisfies Record<string, { endpoint: string; grants: Grants }>;
export type Action = keyof typeof ACCESS_MATRIX;

/** The fields scope rules look at: a case (view or index row), an intake report, or an alert. */
export interface ScopeSubject {
  foundRegion?: string | null;
  homeRegion?: string | null;
  upt?: string | null;
  ownerRole?: Role | null;
  recipientRole?: string;
  regionCode?: string | null;
  uptCode?: string | null;
}

const inScope: Record<ScopeRule, (actor: Actor, subject: ScopeSubject) => boolean> = {
  any: () => true,
  found_region: (actor, s) => actor.regionCode === s.foundRegion,
  found_or_home_region: (actor, s) => actor.regionCode === s.foundRegion || actor.regionCode === s.homeRegion,
  home_region: (actor, s) => actor.regionCode === s.homeRegion,
  own_upt: (actor, s) => actor.uptCode !== null && actor.uptCode === s.upt,
  case_owner: (actor, s) =>
    actor.role === s.ownerRole &&
    (actor.role === 'upt' ? actor.uptCode === s.upt : actor.role !== 'dinsos_kabkota' || actor.regionCode === s.homeRegion),
  alert_recipient: (actor, s) => {
    switch (actor.role) {
      case 'supervisor':
        return s.recipientRole === 'supervisor' || s.recipientRole === 'head_of_office';
      case 'dinsos_kabkota':
        return s.recipientRole === actor.role && s.regionCode === actor.regionCode;
      case 'upt':
        return s.recipientRole === actor.role && s.uptCode === actor.uptCode;
      default:
        return s.recipientRole === actor.role;
    }
  },
};

function ruleFor(actor: Actor, action: Action): ScopeRule | undefined {
  return (ACCESS_MATRIX[action].grants as Grants)[actor.role];
}

/** Route guard: refuses a role the action does not grant, before the request is read further. */
export function permit(action: Action): RequestHandler {
  return (_req, res, next) => {
    const actor = actorOf(res);
    if (!ruleFor(actor, action)) {
      const roles = Object.keys(ACCESS_MATRIX[action].grants).join(', ');
      throw forbidden(`Role ${actor.role} may not ${action}; allowed: ${roles}`);
    }
    next();
  };
}

export function mayAccess(actor: Actor, action: Action, subject: ScopeSubject): boolean {
  const rule = ruleFor(actor, action);
  return rule !== undefined && inScope[rule](actor, subject);
}

/** Throws 403 when the agency's scope does not cover this subject for this action. */
export function authorize(actor: Actor, action: Action, subject: ScopeSubject): void {
  if (!mayAccess(actor, action, subject)) throw forbidden(`This is outside the scope of your agency for ${action}`);
}

/** Columns a list query filters on, for the SQL form of the scope rules. */
export interface ScopeColumns {
  foundRegion?: string;
  homeRegion?: string;
  upt?: string;
  recipientRole?: string;
  regionCode?: string;
  uptCode?: string;
}

/**
 * The same scope rules as a SQL condition, for list endpoints: `param` adds a query parameter
 * and returns its placeholder.
 */
export function scopeCondition(actor: Actor, action: Action, columns: ScopeColumns, param: (value: unknown) => string): string {
  const rule = ruleFor(actor, action);
  const column = (name: keyof ScopeColumns) => {
    const found = columns[name];
    if (!found) throw new Error(`${action} lists have no ${name} column for rule ${rule}`);
    return found;
  };
  switch (rule) {
    case undefined:
      return 'false';
    case 'any':
      return 'true';
    case 'found_region':
      return `${column('foundRegion')} = ${param(actor.regionCode)}`;
    case 'found_or_home_region': {
      const region = param(actor.regionCode);
      return `(${column('foundRegion')} = ${region} OR ${column('homeRegion')} = ${region})`;
    }
    case 'home_region':
      return `${column('homeRegion')} = ${param(actor.regionCode)}`;
    case 'own_upt':
      return `${column('upt')} = ${param(actor.uptCode)}`;
    case 'alert_recipient':
      switch (actor.role) {
        case 'supervisor':
          return `${column('recipientRole')} IN ('supervisor', 'head_of_office')`;
        case 'dinsos_kabkota':
          return `(${column('recipientRole')} = 'dinsos_kabkota' AND ${column('regionCode')} = ${param(actor.regionCode)})`;
        case 'upt':
          return `(${column('recipientRole')} = 'upt' AND ${column('uptCode')} = ${param(actor.uptCode)})`;
        default:
          return `${column('recipientRole')} = ${param(actor.role)}`;
      }
    case 'case_owner':
      throw new Error(`${action}: rule case_owner has no list form`);
  }
}

/** The matrix as a Markdown table (docs/security.md, `npm run access-matrix`). */
export function accessMatrixMarkdown(): string {
  const header = `| endpoint | ${ROLES.join(' | ')} |\n|---|${ROLES.map(() => '---').join('|')}|`;
  const rows = Object.values(ACCESS_MATRIX).map(
    ({ endpoint, grants }) => `| \`${endpoint}\` | ${ROLES.map((role) => (grants as Grants)[role] ?? '-').join(' | ')} |`,
  );
  const legend = Object.entries(SCOPE_RULES).map(([rule, meaning]) => `- \`${rule}\`: ${meaning}`);
  return [header, ...rows, '', '`-`: refused (403) before the request is read further. Scope rules:', '', ...legend].join('\n');
}
