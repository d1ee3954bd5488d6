/**
 * The health step, for a person flagged psychiatric or medical: Dinkes refers them to an RSJ or
 * hospital, then reports the discharge. Until then no other agency takes the case on.
 */
import { onStep } from './agency-steps.js';
import { type CaseState, recordStep } from './case-state.js';
import { recordHealthDischarge, recordHealthReferral } from './messages.js';

export function acceptHealthSteps(c: CaseState): void {
  onStep(c, recordHealthReferral, {
    allowedWhen: () => c.view.stage === 'health' && !c.referredForHealth,
    apply: ({ input, actor }) => {
      const details: Record<string, string> = { facilityType: input.facilityType, facility: input.facility };
      if (input.referredAt) details.referredAt = input.referredAt;
      recordStep(c, { outcome: 'referred', by: actor.agencyId, details });
      c.referredForHealth = true;
    },
  });

  onStep(c, recordHealthDischarge, {
    allowedWhen: () => c.view.stage === 'health' && c.referredForHealth && !c.dischargedFromHealth,
    apply: ({ input, actor }) => {
      recordStep(c, {
        outcome: 'discharged',
        by: actor.agencyId,
        details: input.dischargedAt ? { dischargedAt: input.dischargedAt } : undefined,
        remarks: input.notes,
      });
      c.dischargedFromHealth = true;
    },
  });
}
