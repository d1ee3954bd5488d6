/**
 * What a supervisor may do by exception, as Workflow Updates: stop and restart the SLA clock
 * while the case waits on a third party, extend it, put it under the policy now in force, hand
 * the step to another role, move the case on without the pending step, or reopen a closed case. Each needs a reason, is checked
 * against the current stage, shows in the case steps and goes into the audit trail.
 */
import { onStep } from './agency-steps.js';
import { type CaseState, currentStay, enterStage, isClosed, now, recordStep } from './case-state.js';
import { applySlaPolicy, extendSla, moveOnByException, pauseSla, reassignStep, reopenCase, resumeSla } from './messages.js';

export function acceptSupervisorOverrides(c: CaseState): void {
  const running = () => (isClosed(c) ? null : c.clock);

  onStep(c, pauseSla, {
    allowedWhen: () => running()?.pausedAt === null,
    apply: ({ input, actor }) => {
      const clock = c.clock!;
      clock.pausedAt = now();
      clock.changes++;
      c.view.sla = { ...c.view.sla!, pausedSince: clock.pausedAt };
      recordStep(c, { outcome: 'sla_paused', by: actor.agencyId, details: { step: clock.step }, remarks: input.reason });
    },
  });

  onStep(c, resumeSla, {
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
      recordStep(c, {
        outcome: 'sla_resumed',
        by: actor.agencyId,
        details: { step: clock.step, pausedMinutes: String(Math.round(pausedMs / 60_000)) },
        remarks: input.reason,
      });
    },
  });

  onStep(c, extendSla, {
    allowedWhen: () => running()?.pausedAt === null,
    apply: ({ input, actor }) => {
      const clock = c.clock!;
      clock.pendingShifts.push({ kind: 'extension', extendBy: input.extendBy });
      clock.changes++;
      recordStep(c, {
        outcome: 'sla_extended',
        by: actor.agencyId,
        details: { step: clock.step, extendBy: input.extendBy },
        remarks: input.reason,
      });
    },
  });

  onStep(c, reassignStep, {
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
      recordStep(c, {
        outcome: 'reassigned',
        by: actor.agencyId,
        details: { step: clock.step, ownerRole: input.ownerRole },
        remarks: input.reason,
      });
    },
  });

  onStep(c, moveOnByException, {
    allowedWhen: () => pendingStepOf(c) !== null,
    problem: ({ homeRegion }) =>
      homeRegion && c.view.stage !== 'address_lookup' ? 'a home region applies only to an address lookup' : null,
    apply: ({ input, actor }) => {
      const pending = pendingStepOf(c)!;
      recordStep(c, { outcome: 'moved_on_by_exception', by: actor.agencyId, details: { skipped: pending }, remarks: input.reason });
      skip(c, pending, input.homeRegion);
    },
  });

  onStep(c, applySlaPolicy, {
    allowedWhen: () => running() !== null,
    problem: ({ step }) => (step === c.clock?.step ? null : `the case's running SLA clock is ${c.clock?.step}, not ${step}`),
    apply: ({ input, actor }) => {
      const clock = c.clock!;
      clock.replan = true;
      clock.changes++;
      recordStep(c, { outcome: 'sla_policy_applied', by: actor.agencyId, details: { step: input.step } });
    },
  });

  onStep(c, reopenCase, {
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
  });
}

type PendingStep =
  'health' | 'identification' | 'address_lookup' | 'repatriation_departure' | 'repatriation_handover' | 'placement_admission';

/** The step the case waits on that a supervisor may let it do without; null when none. */
function pendingStepOf(c: CaseState): PendingStep | null {
  if (isClosed(c)) return null;
  switch (c.view.stage) {
    case 'health':
      return c.dischargedFromHealth ? null : 'health';
    case 'identification':
      return c.identified ? null : 'identification';
    case 'address_lookup':
      return c.addressDecided ? null : 'address_lookup';
    case 'repatriation':
      return !c.departed ? 'repatriation_departure' : c.handedOver ? null : 'repatriation_handover';
    case 'placement':
      // A bed must be held: without one there is nowhere to admit the person.
      return c.view.upt !== null && !c.admitted ? 'placement_admission' : null;
    default:
      return null;
  }
}

function skip(c: CaseState, pending: PendingStep, homeRegion: string | undefined): void {
  switch (pending) {
    case 'health':
      c.referredForHealth = true;
      c.dischargedFromHealth = true;
      return;
    case 'identification':
      c.identified = true;
      return;
    case 'address_lookup':
      c.view.homeRegion = homeRegion ?? null;
      c.addressDecided = true;
      return;
    case 'repatriation_departure':
      c.departed = true;
      return;
    case 'repatriation_handover':
      c.handedOver = true;
      return;
    case 'placement_admission':
      c.admitted = true;
  }
}
