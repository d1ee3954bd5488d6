/**
 * The API's side of the case workflow: open a case (update-with-start), read its view,
 * and post a step as a Workflow Update whose ID is the request's Idempotency-Key.
 */
import { randomUUID } from 'node:crypto';
import {
  type Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../domain/case.js';
import { caseSummary, type CaseView } from '../domain/case-view.js';
import {
  type CaseIntake, IDEMPOTENCY_KEY_REUSED, STEP_NOT_ALLOWED, type StepRequest, WORKFLOW_TYPE,
  caseView, caseWorkflowId, confirmIntake, requestHashOf,
} from '../workflows/messages.js';
import { FoundRegion, PpksStage, PpksType } from '../workflows/search-attributes.js';
import { conflict, notFound } from './problem.js';

export async function openCaseWorkflow(client: Client, taskQueue: string, intake: CaseIntake, requestHash: string): Promise<CaseView> {
  const workflowId = caseWorkflowId(intake.caseNumber);
  const start = new WithStartWorkflowOperation(WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args: [intake],
    // A retried intake finds the running case; a closed case is never started again.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      { key: PpksStage, value: 'identification' },
      { key: PpksType, value: intake.report.ppksType },
      { key: FoundRegion, value: intake.report.foundRegion },
    ],
    staticSummary: caseSummary(intake.report.ppksType, intake.report.foundRegion, intake.reportedBy.role),
  });
  try {
    return await client.workflow.executeUpdateWithStart(confirmIntake, {
      startWorkflowOperation: start,
      updateId: `intake-${intake.caseNumber}`,
      args: [{ input: {}, actor: intake.reportedBy, requestHash }],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return fetchCase(client, intake.caseNumber);
    throw error;
  }
}

export async function fetchCase(client: Client, caseNumber: string): Promise<CaseView> {
  try {
    return await client.workflow.getHandle(caseWorkflowId(caseNumber)).query(caseView);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound(`No case ${caseNumber}`);
    throw error;
  }
}

export interface StepPost<Input> {
  caseNumber: string;
  update: UpdateDefinition<CaseView, [StepRequest<Input>]>;
  input: Input;
  actor: Actor;
  requestHash: string;
  idempotencyKey: string | undefined;
}

/**
 * Runs a step. A replayed Idempotency-Key returns the first result (Temporal deduplicates
 * Updates by ID); the same key with another request is a 409.
 */
export async function postStep<Input>(client: Client, post: StepPost<Input>, current: CaseView): Promise<CaseView> {
  const handle = client.workflow.getHandle(caseWorkflowId(post.caseNumber));
  if (post.idempotencyKey !== undefined) {
    const firstHash = await handle.query(requestHashOf, post.idempotencyKey);
    if (firstHash !== null && firstHash !== post.requestHash) throw conflict('This Idempotency-Key was already used with another request');
    // The case has closed since: its workflow takes no more Updates, and the step it replays is in the view.
    if (firstHash !== null && current.status === 'closed') return current;
  }
  if (current.status === 'closed') throw conflict('The case is closed');
  try {
    return await handle.executeUpdate(post.update, {
      args: [{ input: post.input, actor: post.actor, requestHash: post.requestHash }],
      updateId: post.idempotencyKey ?? randomUUID(),
    });
  } catch (error) {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && (cause.type === STEP_NOT_ALLOWED || cause.type === IDEMPOTENCY_KEY_REUSED)) {
      throw conflict(cause.message);
    }
    if (error instanceof WorkflowNotFoundError) throw conflict('The case is closed');
    throw error;
  }
}
