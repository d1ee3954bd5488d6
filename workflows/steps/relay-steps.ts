/**
 * The legs of an inter-province relay, reported by Dinsos Jatim (the partner provinces' Dinsos
 * have no keys of their own): each leg's departure, then its handover to the Dinsos it goes to.
 */
import { provinceLabel } from '../../domain/provinces.js';
import { type CaseState, currentLeg, recordStep } from '../case-state.js';
import { compact, type RulesOf } from './rules.js';

/** Relay legs whose departure, and whose handover, have been reported: part of the case state. */
export interface RelayStepsTaken {
  relayDepartures: number;
  relayHandovers: number;
}

export const RELAY_STEPS_AT_OPENING: RelayStepsTaken = { relayDepartures: 0, relayHandovers: 0 };

export function relaySteps(c: CaseState): RulesOf<'recordRelayDeparture' | 'recordRelayHandover'> {
  const underWay = () => c.relayDepartures > c.relayHandovers;
  return {
    recordRelayDeparture: {
      waitedOn: {
        sla: 'relay_departure',
        owner: () => ({
          role: 'dinsos_prov',
          waitingFor: `departure to Dinsos ${provinceLabel(currentLeg(c))} (relay leg ${c.relayDepartures + 1})`,
        }),
      },
      allowedWhen: () => c.view.stage === 'relay' && !underWay(),
      apply: ({ input, actor }) => {
        const details = compact({ toProvince: currentLeg(c), departedAt: input.departedAt, transport: input.transport });
        recordStep(c, { outcome: 'relay_departed', by: actor.agencyId, details });
        c.relayDepartures++;
      },
    },

    recordRelayHandover: {
      waitedOn: {
        sla: 'relay_handover',
        owner: () => ({
          role: 'dinsos_prov',
          waitingFor: `handover to Dinsos ${provinceLabel(currentLeg(c))} confirmed (relay leg ${c.relayHandovers + 1})`,
        }),
      },
      allowedWhen: () => c.view.stage === 'relay' && underWay(),
      apply: ({ input, actor }) => {
        const details = compact({ toProvince: currentLeg(c), receivedAt: input.receivedAt });
        recordStep(c, { outcome: 'relay_received', by: actor.agencyId, details, remarks: `received by ${input.receivedBy}` });
        c.relayHandovers++;
      },
    },
  };
}
