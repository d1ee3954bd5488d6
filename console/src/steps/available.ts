/**
 * Which step forms a person sees on a case: the steps their role is granted (domain/steps.ts, the
 * access matrix's rows), held to the same scope rules the API applies, and only those that fit where
 * the case stands. An agency's step fits when the case's SLA clock is the one that step stops (the
 * step it waits for); a step without a clock (a supervisor's override, Dinsos Jatim's UPT transfer)
 * fits by the rule below. The API still decides: a stale view gets a 409, explained in the form.
 */
import type { CaseView, Me } from '../api/client';
import { STEP_NAMES, STEPS, type StepName } from './definitions';

/** Every scope rule some step grants (each step's grants taken one by one). */
type ScopeRuleOf<G> = G extends unknown ? G[keyof G] : never;
type ScopeRule = ScopeRuleOf<(typeof STEPS)[StepName]['grants']>;

/** The scope rules of api/access.ts that a step grants, as the case view lets the console check them. */
const IN_SCOPE: Record<ScopeRule, (me: Me, view: CaseView) => boolean> = {
  any: () => true,
  found_or_home_region: (me, view) => me.scope.regionCode === view.foundRegion || me.scope.regionCode === view.homeRegion,
  home_region: (me, view) => me.scope.regionCode === view.homeRegion,
  own_upt: (me, view) => me.scope.uptCode !== null && me.scope.uptCode === view.upt,
  case_owner: (me, view) =>
    me.role === view.ownerRole &&
    (me.role === 'upt' ? me.scope.uptCode === view.upt : me.role !== 'dinsos_kabkota' || me.scope.regionCode === view.homeRegion),
};

type StepWithoutClock = { [S in StepName]: (typeof STEPS)[S]['sla'] extends null ? S : never }[StepName];

const isOpen = (view: CaseView) => view.status === 'open';

/** When a step that stops no SLA clock fits the case (a Record, so a new such step is a compile error here until it has a rule). */
const FITS: Record<StepWithoutClock, (view: CaseView) => boolean> = {
  transferUpt: (view) => isOpen(view) && view.stage === 'placement' && view.upt !== null,
  closeCase: isOpen,
  pauseSla: (view) => isOpen(view) && !!view.sla && !view.sla.pausedSince,
  resumeSla: (view) => isOpen(view) && !!view.sla?.pausedSince,
  extendSla: (view) => isOpen(view) && !!view.sla,
  reassignStep: (view) => isOpen(view) && !!view.sla,
  moveOnByException: (view) => isOpen(view) && view.waitingFor !== null,
  reopenCase: (view) => view.status === 'closed',
};

function fits(step: StepName, view: CaseView): boolean {
  const clock = STEPS[step].sla;
  if (clock === null) return FITS[step as StepWithoutClock](view);
  return isOpen(view) && view.sla?.stage === clock;
}

export function stepsFor(me: Me, view: CaseView): StepName[] {
  return STEP_NAMES.filter((step) => {
    const rule = (STEPS[step].grants as Partial<Record<Me['role'], ScopeRule>>)[me.role];
    return rule !== undefined && IN_SCOPE[rule](me, view) && fits(step, view);
  });
}
