/**
 * The health step, for a person flagged psychiatric or medical: Dinkes refers them to an RSJ or
 * hospital, then reports the discharge. Until then no other agency takes the case on.
 */
import { type CaseState, recordStep } from '../case-state.js';
import { compact, type RulesOf } from './rules.js';

export const healthSteps = (c: CaseState): RulesOf<'recordHealthReferral' | 'recordHealthDischarge'> => ({
  recordHealthReferral: {
    allowedWhen: () => c.view.stage === 'health' && !c.referredForHealth,
    apply: ({ input, actor }) => {
      const details = compact({ facilityType: input.facilityType, facility: input.facility, referredAt: input.referredAt });
      recordStep(c, { outcome: 'referred', by: actor.agencyId, details });
      c.referredForHealth = true;
    },
  },

  recordHealthDischarge: {
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
