/**
 * What a supervisor may do by exception: stop and restart the SLA clock while the case waits on a
 * third party, extend it, put it under the policy now in force, hand the step to another role,
 * move the case on without the pending step, or reopen a closed case. Each needs a reason, is
 * checked against the current stage, shows in the case steps and goes into the audit trail.
 */
import type { Stage } from '../../domain/case.js';
import type { StepInput } from '../../domain/steps.js';
import { type CaseState, currentStay, enterStage, isClosed, now, recordStep } from '../case-state.js';
import type { PolicyRollout } from '../messages.js';
import type { StepRules } from './on-step.js';
import type { RulesOf } from './rules.js';

export function supervisorOverrides(c: CaseState): RulesOf<
  'pauseSla' | 'resumeSla' | 'extendSla' | 'reassignStep' | 'moveOnByException'
> & {
  applySlaPolicy: StepRules<PolicyRollout>;
} & RulesOf<'reopenCase'> {
  const running = () => (isClosed(c) ? null : c.clock);
  return {
    pauseSla: {
      allowedWhen: () => running()?.pausedAt === null,
      apply: ({ input, actor }) => {
        const clock = c.clock!;
        clock.pausedAt = now();
        clock.changes++;
        c.view.sla = { ...c.view.sla!, pausedSince: clock.pausedAt };
        recordStep(c, { outcome: 'sla_paused', by: actor.agencyId, details: { step: clock.step }, remarks: input.reason });
      },
    },

    resumeSla: {
      allowedWhen: () => typeof running()?.pausedAt === 'string',
      apply: ({ input, actor }) => {
        const clock = c.clock!;
        const resumedAt = now();
        const pausedMs = new Date(resumedAt).getTime() - new Date(clock.pausedAt!).getTime();
        clock.pendingShifts.push({ kind: 'resume', pausedAt: clock.pausedAt!, resumedAt });
        clock.pausedAt = null;
        clock.pausedMs += pausedMs;
        clock.changes++;
        c.view.sla = { ...c.view.sla!, pausedSince: null, pausedMs: clock.pausedMs };
        c.view.slaPausedMs = (c.view.slaPausedMs ?? 0) + pausedMs;
        const stay = currentStay(c);
        if (stay) stay.pausedMs += pausedMs;
        const details = { step: clock.step, pausedMinutes: String(Math.round(pausedMs / 60_000)) };
        recordStep(c, { outcome: 'sla_resumed', by: actor.agencyId, details, remarks: input.reason });
      },
    },

    extendSla: {
      allowedWhen: () => running()?.pausedAt === null,
      apply: ({ input, actor }) => {
        const clock = c.clock!;
        clock.pendingShifts.push({ kind: 'extension', extendBy: input.extendBy });
        clock.changes++;
        const details = { step: clock.step, extendBy: input.extendBy };
        recordStep(c, { outcome: 'sla_extended', by: actor.agencyId, details, remarks: input.reason });
      },
    },

    reassignStep: {
      allowedWhen: () => running() !== null,
      problem: ({ ownerRole }) => {
        if (ownerRole === 'upt' && !c.view.upt) return 'only a case holding a UPT bed can be handed to its UPT';
        if (ownerRole === 'dinsos_kabkota' && !c.view.homeRegion)
          return 'only a case with a home region can be handed to its kab/kota Dinsos';
        return ownerRole === c.clock?.owner.role ? `the step is already owned by ${ownerRole}` : null;
      },
      apply: ({ input, actor }) => {
        const clock = c.clock!;
        clock.owner = { role: input.ownerRole, waitingFor: `${clock.owner.waitingFor} (handed to ${input.ownerRole})` };
        clock.changes++;
        c.view.ownerRole = clock.owner.role;
        c.view.waitingFor = clock.owner.waitingFor;
        const details = { step: clock.step, ownerRole: input.ownerRole };
        recordStep(c, { outcome: 'reassigned', by: actor.agencyId, details, remarks: input.reason });
      },
    },

    moveOnByException: {
      allowedWhen: () => pendingStepOf(c) !== null,
      problem: ({ homeRegion }) =>
        homeRegion && c.view.stage !== 'address_lookup' ? 'a home region applies only to an address lookup' : null,
      apply: ({ input, actor }) => {
        const pending = pendingStepOf(c)!;
        recordStep(c, { outcome: 'moved_on_by_exception', by: actor.agencyId, details: { skipped: pending.name }, remarks: input.reason });
        pending.skip(input.homeRegion);
      },
    },

    applySlaPolicy: {
      allowedWhen: () => running() !== null,
      problem: ({ step }) => (step === c.clock?.step ? null : `the case's running SLA clock is ${c.clock?.step}, not ${step}`),
      apply: ({ input, actor }) => {
        const clock = c.clock!;
        clock.replan = true;
        clock.changes++;
        recordStep(c, { outcome: 'sla_policy_applied', by: actor.agencyId, details: { step: input.step } });
      },
    },

    reopenCase: {
      allowedWhen: () => isClosed(c) && c.awaitingReopen,
      apply: ({ input, actor }) => {
        const closedIn = c.view.steps.at(-1)!.stage;
        c.view.status = 'open';
        c.view.stage = closedIn === 'intake' ? 'identification' : closedIn;
        enterStage(c, c.view.stage);
        c.view.outcome = null;
        c.view.closedAt = null;
        c.reopened = true;
        recordStep(c, { outcome: 'reopened', by: actor.agencyId, remarks: input.reason });
      },
    },
  };
}

/** A step the case waits on that a supervisor may let it do without. */
interface PendingStep {
  /** As shown in the case steps (`skipped`). */
  name: string;
  skip: (homeRegion: StepInput<'moveOnByException'>['homeRegion']) => void;
}

/**
 * Per stage, the step a supervisor may skip, or null when none may be (a relay leg, a follow-up
 * visit): every stage is listed, so a new stage does not compile until someone decides.
 */
const PENDING_STEP_IN: Record<Exclude<Stage, 'closed'>, (c: CaseState) => PendingStep | null> = {
  health: (c) =>
    c.dischargedFromHealth
      ? null
      : {
          name: 'health',
          skip: () => {
            c.referredForHealth = true;
            c.dischargedFromHealth = true;
          },
        },
  identification: (c) => (c.identified ? null : { name: 'identification', skip: () => (c.identified = true) }),
  address_lookup: (c) =>
    c.addressDecided
      ? null
      : {
          name: 'address_lookup',
          skip: (homeRegion) => {
            c.view.homeRegion = homeRegion ?? null;
            c.addressDecided = true;
          },
        },
  repatriation: (c) => {
    if (!c.departed) return { name: 'repatriation_departure', skip: () => (c.departed = true) };
    return c.handedOver ? null : { name: 'repatriation_handover', skip: () => (c.handedOver = true) };
  },
  relay: () => null,
  // A bed must be held: without one there is nowhere to admit the person.
  placement: (c) => (c.view.upt !== null && !c.admitted ? { name: 'placement_admission', skip: () => (c.admitted = true) } : null),
  follow_up: () => null,
};

function pendingStepOf(c: CaseState): PendingStep | null {
  return isClosed(c) || c.view.stage === 'closed' ? null : PENDING_STEP_IN[c.view.stage](c);
}
