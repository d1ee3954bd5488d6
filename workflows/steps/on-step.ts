/**
 * How every posted step is handled, whatever the step: a Workflow Update whose validator is
 * synchronous and checks only what the case itself decides (the stage, and essentials of the
 * body; the API has already checked the body's shape, the agency's role and its scope), whose
 * handler applies the step, writes it to the audit trail and answers once the procedure has
 * reacted. The same Idempotency-Key with the same request answers again; with another, 409.
 */
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { CaseView } from '../../domain/case-view.js';
import { recordInAuditTrail } from '../audit.js';
import type { CaseState } from '../case-state.js';
import { CASE_RECORD_BUDGET_BYTES, CASE_RECORD_FULL, IDEMPOTENCY_KEY_REUSED, STEP_NOT_ALLOWED, type StepRequest } from '../messages.js';
import { publish } from '../publish.js';

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
