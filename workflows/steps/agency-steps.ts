/**
 * The steps of the agencies on the main path: DP3AK's identification, Dinsos's address, the
 * departure home and its handover, the UPT's admission and follow-up visits, and a supervisor's
 * closure.
 */
import { CLOSING_FOLLOW_UP_OUTCOMES } from '../../domain/case.js';
import { regionLabel } from '../../domain/regions.js';
import { type CaseState, close, isClosed, recordStep } from '../case-state.js';
import { compact, type RulesOf } from './rules.js';

/** What these steps have recorded: part of the case state. */
export interface AgencyStepsTaken {
  identified: boolean;
  addressDecided: boolean;
  departed: boolean;
  handedOver: boolean;
  admitted: boolean;
  /** Follow-up visits reported so far; each one restarts the follow-up clock. */
  followUpVisits: number;
}

export const AGENCY_STEPS_AT_OPENING: AgencyStepsTaken = {
  identified: false,
  addressDecided: false,
  departed: false,
  handedOver: false,
  admitted: false,
  followUpVisits: 0,
};

export const agencySteps = (
  c: CaseState,
): RulesOf<
  'recordIdentification' | 'recordAddress' | 'recordDeparture' | 'recordHandover' | 'recordAdmission' | 'recordFollowUp' | 'closeCase'
> => ({
  recordIdentification: {
    waitedOn: { sla: 'identification', owner: () => ({ role: 'dukcapil', waitingFor: 'biometric identity check by DP3AK' }) },
    allowedWhen: () => c.view.stage === 'identification' && !c.identified,
    problem: ({ outcome, nik }) => (outcome === 'matched' && !nik ? 'a matched identification needs the NIK' : null),
    apply: ({ input, actor }) => {
      recordStep(c, { outcome: input.outcome, by: actor.agencyId, details: input.method ? { method: input.method } : undefined });
      if (input.outcome === 'matched' && input.nik) c.view.person = { ...c.view.person!, nik: input.nik };
      c.identified = true;
    },
  },

  recordAddress: {
    waitedOn: { sla: 'address_lookup', owner: () => ({ role: 'dinsos_prov', waitingFor: 'address lookup / family tracing by Dinsos' }) },
    allowedWhen: () => c.view.stage === 'address_lookup' && !c.addressDecided,
    problem: ({ outcome, homeRegion, homeProvince }) =>
      outcome === 'found' && !homeRegion && !homeProvince ? 'a found address needs the home region or province' : null,
    apply: ({ input, actor }) => {
      const found = input.outcome === 'found';
      const home: Record<string, string> = input.homeProvince ? { homeProvince: input.homeProvince } : { homeRegion: input.homeRegion! };
      recordStep(c, { outcome: input.outcome, by: actor.agencyId, details: found ? home : undefined });
      if (found) {
        c.view.homeRegion = input.homeRegion ?? null;
        if (input.homeProvince) c.view.homeProvince = input.homeProvince;
        c.view.address = input.address ?? null;
      }
      c.addressDecided = true;
    },
  },

  recordDeparture: {
    waitedOn: {
      sla: 'repatriation_departure',
      owner: () => ({ role: 'dinsos_prov', waitingFor: 'departure home arranged by Dinsos Jatim' }),
    },
    allowedWhen: () => c.view.stage === 'repatriation' && !c.departed,
    apply: ({ input, actor }) => {
      recordStep(c, {
        outcome: 'departed',
        by: actor.agencyId,
        details: compact({ departedAt: input.departedAt, transport: input.transport }),
      });
      c.departed = true;
    },
  },

  recordHandover: {
    waitedOn: {
      sla: 'repatriation_handover',
      owner: () => ({ role: 'dinsos_kabkota', waitingFor: `handover confirmed by Dinsos ${regionLabel(c.view.homeRegion)}` }),
    },
    allowedWhen: () => c.view.stage === 'repatriation' && c.departed && !c.handedOver,
    apply: ({ input, actor }) => {
      recordStep(c, {
        outcome: 'received',
        by: actor.agencyId,
        details: compact({ receivedAt: input.receivedAt }),
        remarks: `received by ${input.receivedBy}`,
      });
      c.handedOver = true;
    },
  },

  recordAdmission: {
    waitedOn: { sla: 'placement_admission', owner: () => ({ role: 'upt', waitingFor: `admission by ${c.view.upt}` }) },
    allowedWhen: () => c.view.stage === 'placement' && c.view.upt !== null && !c.admitted && !c.lapsing && !c.transferring,
    apply: ({ input, actor }) => {
      recordStep(c, { outcome: 'admitted', by: actor.agencyId, details: compact({ upt: c.view.upt!, admittedAt: input.admittedAt }) });
      c.admitted = true;
    },
  },

  recordFollowUp: {
    waitedOn: {
      sla: 'follow_up',
      owner: () =>
        c.view.upt
          ? { role: 'upt', waitingFor: `follow-up visit report by ${c.view.upt}` }
          : { role: 'dinsos_kabkota', waitingFor: `follow-up visit report by Dinsos ${regionLabel(c.view.homeRegion)}` },
    },
    allowedWhen: () => c.view.stage === 'follow_up',
    closes: ({ outcome }) => CLOSING_FOLLOW_UP_OUTCOMES.includes(outcome),
    apply: ({ input, actor }) => {
      recordStep(c, { outcome: input.outcome, by: actor.agencyId, details: compact({ visitedAt: input.visitedAt }), remarks: input.notes });
      c.followUpVisits++;
      if (CLOSING_FOLLOW_UP_OUTCOMES.includes(input.outcome)) close(c);
    },
  },

  closeCase: {
    allowedWhen: () => !isClosed(c),
    closes: () => true,
    apply: ({ input, actor }) => {
      recordStep(c, { outcome: 'closed_by_supervisor', by: actor.agencyId, remarks: input.reason });
      close(c);
    },
  },
});
