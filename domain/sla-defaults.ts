/**
 * The shipped default SLA of every SLA step: those of posted steps come from their definitions
 * (domain/steps.ts); the one the workflow completes by itself (a bed found) is here. A new SLA
 * step without a default does not compile. Only the repatriation departure (Dinsos Jatim service
 * standard, 1 working day) and the placement decision by day 7 of the case (Permensos 9/2018's
 * 7-day limit) rest on a rule; the rest are proposed (docs/domain-facts.md section 7).
 */
import type { SlaStep } from './case.js';
import { DEFAULT_ESCALATION, type SlaPolicy } from './sla.js';
import { STEP_NAMES, STEPS, type SlaStepCompletedByAStep } from './steps.js';

export type DefaultSlaPolicy = Omit<SlaPolicy, 'version' | 'ppksType'>;

/** SLA steps the workflow itself completes: no agency posts them. */
const WORKFLOW_SLA: Record<Exclude<SlaStep, SlaStepCompletedByAStep>, DefaultSlaPolicy> = {
  placement: { step: 'placement', duration: 'P7D', calendar: 'continuous', anchor: 'case_opened', escalation: DEFAULT_ESCALATION },
};

export const DEFAULT_SLA_POLICIES: Record<SlaStep, DefaultSlaPolicy> = {
  ...WORKFLOW_SLA,
  ...(Object.fromEntries(
    STEP_NAMES.flatMap((name) => {
      const sla = STEPS[name].sla;
      return sla ? [[sla.step, { ...sla, anchor: 'stage_entered', escalation: DEFAULT_ESCALATION }]] : [];
    }),
  ) as Record<SlaStepCompletedByAStep, DefaultSlaPolicy>),
};
