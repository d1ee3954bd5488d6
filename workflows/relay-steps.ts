/**
 * The legs of an inter-province relay, reported by Dinsos Jatim (the partner provinces' Dinsos
 * have no keys of their own): each leg's departure, then its handover to the Dinsos it goes to.
 */
import { onStep } from './agency-steps.js';
import { type CaseState, currentLeg, recordStep } from './case-state.js';
import { recordRelayDeparture, recordRelayHandover } from './messages.js';

export function acceptRelaySteps(c: CaseState): void {
  const underWay = () => c.relayDepartures > c.relayHandovers;

  onStep(c, recordRelayDeparture, {
    allowedWhen: () => c.view.stage === 'relay' && !underWay(),
    apply: ({ input, actor }) => {
      const details: Record<string, string> = { toProvince: currentLeg(c) };
      if (input.departedAt) details.departedAt = input.departedAt;
      if (input.transport) details.transport = input.transport;
      recordStep(c, { outcome: 'relay_departed', by: actor.agencyId, details });
      c.relayDepartures++;
    },
  });

  onStep(c, recordRelayHandover, {
    allowedWhen: () => c.view.stage === 'relay' && underWay(),
    apply: ({ input, actor }) => {
      const details: Record<string, string> = { toProvince: currentLeg(c) };
      if (input.receivedAt) details.receivedAt = input.receivedAt;
      recordStep(c, { outcome: 'relay_received', by: actor.agencyId, details, remarks: `received by ${input.receivedBy}` });
      c.relayHandovers++;
    },
  });
}
