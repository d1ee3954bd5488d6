/**
 * The health step, for a person flagged psychiatric or medical: Dinkes refers them to an RSJ or
 * hospital, then reports the discharge. Until then no other agency takes the case on.
 */
import { type CaseState, recordStep } from '../case-state.js';
import { compact, type RulesOf } from './rules.js';

/** What the health steps have recorded: part of the case state. */
export interface HealthStepsTaken {
  referredForHealth: boolean;
  dischargedFromHealth: boolean;
}

export const HEALTH_STEPS_AT_OPENING: HealthStepsTaken = { referredForHealth: false, dischargedFromHealth: false };

export const healthSteps = (c: CaseState): RulesOf<'recordHealthReferral' | 'recordHealthDischarge'> => ({
  recordHealthReferral: {
    waitedOn: { sla: 'health_referral', owner: () => ({ role: 'dinkes', waitingFor: 'referral to an RSJ or hospital by Dinkes' }) },
    allowedWhen: () => c.view.stage === 'health' && !c.referredForHealth,
    apply: ({ input, actor }) => {
      const details = compact({ facilityType: input.facilityType, facility: input.facility, referredAt: input.referredAt });
      recordStep(c, { outcome: 'referred', by: actor.agencyId, details });
      c.referredForHealth = true;
    },
  },

  recordHealthDischarge: {
    waitedOn: {
      sla: 'health_discharge',
      owner: () => ({ role: 'dinkes', waitingFor: 'discharge from the RSJ or hospital, reported by Dinkes' }),
    },
    allowedWhen: () => c.view.stage === 'health' && c.referredForHealth && !c.dischargedFromHealth,
    apply: ({ input, actor }) => {
      recordStep(c, {
        outcome: 'discharged',
        by: actor.agencyId,
        details: compact({ dischargedAt: input.dischargedAt }),
        remarks: input.notes,
      });
      c.dischargedFromHealth = true;
    },
  },
});
