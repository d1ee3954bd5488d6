/**
 * The steps agencies post, as Workflow Updates. Each validator is synchronous and checks only
 * what the case itself decides (the stage, and essentials of the body); the API has already
 * checked the body's shape, the agency's role and its scope.
 */
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { CLOSING_FOLLOW_UP_OUTCOMES } from '../domain/case.js';
import type { CaseView } from '../domain/case-view.js';
import { recordInAuditTrail } from './audit.js';
import { publish } from './publish.js';
import { type CaseState, close, isClosed, recordStep } from './case-state.js';
import {
  CASE_NUMBER_TAKEN,
  CASE_RECORD_BUDGET_BYTES,
  CASE_RECORD_FULL,
  IDEMPOTENCY_KEY_REUSED,
  STEP_NOT_ALLOWED,
  type StepRequest,
  caseView,
  closeCase,
  confirmIntake,
  intakeRequestHash,
  recordAddress,
  recordAdmission,
  recordDeparture,
  recordFollowUp,
  recordHandover,
  recordIdentification,
  requestHashOf,
} from './messages.js';

export function acceptAgencySteps(c: CaseState): void {
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

  onStep(c, recordIdentification, {
    allowedWhen: () => c.view.stage === 'identification' && !c.identified,
    problem: ({ outcome, nik }) => (outcome === 'matched' && !nik ? 'a matched identification needs the NIK' : null),
    apply: ({ input, actor }) => {
      recordStep(c, { outcome: input.outcome, by: actor.agencyId, details: input.method ? { method: input.method } : undefined });
      if (input.outcome === 'matched' && input.nik) c.view.person = { ...c.view.person!, nik: input.nik };
      c.identified = true;
    },
  });

  onStep(c, recordAddress, {
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
  });

  onStep(c, recordDeparture, {
    allowedWhen: () => c.view.stage === 'repatriation' && !c.departed,
    apply: ({ input, actor }) => {
      recordStep(c, {
        outcome: 'departed',
        by: actor.agencyId,
        details: compact({ departedAt: input.departedAt, transport: input.transport }),
      });
      c.departed = true;
    },
  });

  onStep(c, recordHandover, {
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
  });

  onStep(c, recordAdmission, {
    allowedWhen: () => c.view.stage === 'placement' && c.view.upt !== null && !c.admitted && !c.lapsing && !c.transferring,
    apply: ({ input, actor }) => {
      recordStep(c, { outcome: 'admitted', by: actor.agencyId, details: compact({ upt: c.view.upt!, admittedAt: input.admittedAt }) });
      c.admitted = true;
    },
  });

  onStep(c, recordFollowUp, {
    allowedWhen: () => c.view.stage === 'follow_up',
    closes: ({ outcome }) => CLOSING_FOLLOW_UP_OUTCOMES.includes(outcome),
    apply: ({ input, actor }) => {
      recordStep(c, { outcome: input.outcome, by: actor.agencyId, details: compact({ visitedAt: input.visitedAt }), remarks: input.notes });
      c.followUpVisits++;
      if (CLOSING_FOLLOW_UP_OUTCOMES.includes(input.outcome)) close(c);
    },
  });

  onStep(c, closeCase, {
    allowedWhen: () => !isClosed(c),
    closes: () => true,
    apply: ({ input, actor }) => {
      recordStep(c, { outcome: 'closed_by_supervisor', by: actor.agencyId, remarks: input.reason });
      close(c);
    },
  });
}

export interface StepRules<Input> {
  /** The stage (and sub-step) in which this step may be posted. */
  allowedWhen: () => boolean;
  /** A problem with the body that only the case can judge, or null. */
  problem?: (input: Input) => string | null;
  /** Whether the step closes the case: such a step is taken even when the case record is full. */
  closes?: (input: Input) => boolean;
  apply: (request: StepRequest<Input>) => void;
  /**
   * I/O the step needs before it is answered (moving a bed): the step then shows its own result
   * instead of waiting for the procedure to react.
   */
  complete?: (request: StepRequest<Input>) => Promise<void>;
}

export function onStep<Input>(c: CaseState, update: UpdateDefinition<CaseView, [StepRequest<Input>]>, rules: StepRules<Input>): void {
  setHandler(
    update,
    async (request) => {
      // Temporal drops a repeated Update ID within a run; after continue-as-new the carried hashes do.
      if (c.requestHashes[request.requestKey] === request.requestHash) return c.view;
      c.requestHashes[request.requestKey] = request.requestHash;
      const stage = c.view.stage;
      rules.apply(request);
      const applied = c.revision;
      await recordInAuditTrail(c, request, stage);
      if (rules.complete) {
        await rules.complete(request);
        await publish(c);
        return c.view;
      }
      await condition(() => c.settledRevision >= applied);
      return c.view;
    },
    {
      validator: (request) => {
        const firstHash = c.requestHashes[request.requestKey];
        if (firstHash !== undefined && firstHash !== request.requestHash) {
          throw ApplicationFailure.create({
            type: IDEMPOTENCY_KEY_REUSED,
            message: 'this Idempotency-Key was already used with another request',
            nonRetryable: true,
          });
        }
        if (firstHash === request.requestHash) return; // a replay: the handler answers with the case as it is
        if (!rules.allowedWhen()) {
          throw ApplicationFailure.create({
            type: STEP_NOT_ALLOWED,
            message: `${update.name} is not valid now: the case is in stage ${c.view.stage}, waiting for ${c.view.waitingFor ?? 'nothing'}`,
            nonRetryable: true,
          });
        }
        const problem = rules.problem?.(request.input);
        if (problem) throw ApplicationFailure.create({ type: STEP_NOT_ALLOWED, message: problem, nonRetryable: true });
        if (!rules.closes?.(request.input) && recordBytes(c) > CASE_RECORD_BUDGET_BYTES) {
          throw ApplicationFailure.create({
            type: CASE_RECORD_FULL,
            message: `the case record has reached its size limit (${CASE_RECORD_BUDGET_BYTES / 1024} KiB): only a step that closes the case is taken`,
            nonRetryable: true,
          });
        }
      },
    },
  );
}

const recordBytes = (c: CaseState) => new TextEncoder().encode(JSON.stringify(c)).length;

function compact(fields: Record<string, string | undefined>): Record<string, string> | undefined {
  const kept = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return kept.length ? Object.fromEntries(kept) : undefined;
}
