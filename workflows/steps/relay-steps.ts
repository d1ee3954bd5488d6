/**
 * The legs of an inter-province relay, reported by Dinsos Jatim (the partner provinces' Dinsos
 * have no keys of their own): each leg's departure, then its handover to the Dinsos it goes to.
 */
import { type CaseState, currentLeg, recordStep } from '../case-state.js';
import { compact, type RulesOf } from './rules.js';

export function relaySteps(c: CaseState): RulesOf<'recordRelayDeparture' | 'recordRelayHandover'> {
  const underWay = () => c.relayDepartures > c.relayHandovers;
  return {
    recordRelayDeparture: {
      allowedWhen: () => c.view.stage === 'relay' && !underWay(),
      apply: ({ input, actor }) => {
        const details = compact({ toProvince: currentLeg(c), departedAt: input.departedAt, transport: input.transport });
        recordStep(c, { outcome: 'relay_departed', by: actor.agencyId, details });
        c.relayDepartures++;
      },
    },

    recordRelayHandover: {
      allowedWhen: () => c.view.stage === 'relay' && underWay(),
      apply: ({ input, actor }) => {
        const details = compact({ toProvince: currentLeg(c), receivedAt: input.receivedAt });
        recordStep(c, { outcome: 'relay_received', by: actor.agencyId, details, remarks: `received by ${input.receivedBy}` });
        c.relayHandovers++;
      },
    },
  };
}
