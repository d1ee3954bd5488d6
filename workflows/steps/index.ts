/**
 * The case's messages: its queries, the intake confirmation, and one Update per posted step
 * (domain/steps.ts) with its rules. A step without rules does not compile.
 */
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { SlaStep } from '../../domain/case.js';
import type { SlaStepCompletedByAStep, StepInput, StepName } from '../../domain/steps.js';
import { recordInAuditTrail } from '../audit.js';
import type { CaseState, StepOwner } from '../case-state.js';
import {
  applySlaPolicy,
  CASE_NUMBER_TAKEN,
  caseView,
  confirmIntake,
  intakeRequestHash,
  type PolicyRollout,
  requestHashOf,
  stepUpdate,
} from '../messages.js';
import { agencySteps } from './agency-steps.js';
import { healthSteps } from './health-steps.js';
import { onStep, type StepRules } from './on-step.js';
import { relaySteps } from './relay-steps.js';
import type { RulesOf } from './rules.js';
import { supervisorOverrides } from './supervisor-overrides.js';
import { uptTransfer } from './upt-transfer.js';

type CaseRules = RulesOf<StepName> & { applySlaPolicy: StepRules<PolicyRollout> };

/** Registered in this order since the first release: Updates buffered at a run's start are dispatched in it. */
const caseRules = (c: CaseState): CaseRules => ({
  ...agencySteps(c),
  ...healthSteps(c),
  ...relaySteps(c),
  ...uptTransfer(c),
  ...supervisorOverrides(c),
});

/** Who is waited on for the SLA steps the workflow completes by itself (a bed found). */
const WAITED_ON_BY_THE_WORKFLOW: Record<Exclude<SlaStep, SlaStepCompletedByAStep>, (c: CaseState) => StepOwner> = {
  placement: (c) => ({ role: 'dinsos_prov', waitingFor: `a free UPT bed for ${c.view.ppksType}` }),
};

/** Who the case waits on while this SLA step's clock runs: from the rules of the step that completes it. */
export function ownerOf(c: CaseState, sla: SlaStep): StepOwner {
  for (const rules of Object.values(caseRules(c)) as { waitedOn?: { sla: SlaStep; owner: () => StepOwner } }[]) {
    if (rules.waitedOn?.sla === sla) return rules.waitedOn.owner();
  }
  return WAITED_ON_BY_THE_WORKFLOW[sla as Exclude<SlaStep, SlaStepCompletedByAStep>](c);
}

export function acceptMessages(c: CaseState): void {
  setHandler(caseView, () => c.view);
  setHandler(requestHashOf, (requestKey) => c.requestHashes[requestKey] ?? null);
  setHandler(intakeRequestHash, () => c.intakeRequestHash);
  setHandler(
    confirmIntake,
    async (request) => {
      await recordInAuditTrail(c, request, 'intake');
      await condition(() => c.settledRevision > 0);
      return c.view;
    },
    {
      // Only when the case index and Temporal disagree (a restored database): never show one person's case to another request.
      validator: ({ requestHash }) => {
        if (requestHash !== c.intakeRequestHash) {
          throw ApplicationFailure.create({
            type: CASE_NUMBER_TAKEN,
            message: 'this case number already belongs to another intake',
            nonRetryable: true,
          });
        }
      },
    },
  );

  const rules = caseRules(c);
  for (const name of Object.keys(rules) as (keyof CaseRules)[]) {
    if (name === 'applySlaPolicy') onStep(c, applySlaPolicy, rules.applySlaPolicy);
    else accept(c, name, rules);
  }
}

function accept<N extends StepName>(c: CaseState, name: N, rules: CaseRules): void {
  onStep(c, stepUpdate(name), rules[name] as StepRules<StepInput<N>>);
}
