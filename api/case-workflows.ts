/**
 * The API's side of the case workflow: open a case (update-with-start), read its view,
 * and post a step as a Workflow Update whose ID is the request's Idempotency-Key.
 */
import { randomUUID } from 'node:crypto';
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { type Actor, needsHealthHold } from '../domain/case.js';
import { caseSummary, type CaseView } from '../domain/case-view.js';
import type { StepName } from '../domain/steps.js';
import {
  CASE_NUMBER_TAKEN,
  CASE_RECORD_BUDGET_BYTES,
  CASE_RECORD_FULL,
  type CaseIntake,
  IDEMPOTENCY_KEY_REUSED,
  STEP_NOT_ALLOWED,
  type StepRequest,
  WORKFLOW_TYPE,
  caseView,
  caseWorkflowId,
  confirmIntake,
  intakeRequestHash,
  intakeUpdateId,
  requestHashOf,
  stepUpdateId,
} from '../workflows/messages.js';
import { FoundRegion, PpksStage, PpksType } from '../workflows/search-attributes.js';
import type { RequestHash } from './request-hash.js';
import { conflict, HttpProblem, isTemporalBusy, notFound, tooManyRequests } from './problem.js';
import type { NotePerson } from './step-people.js';

/** In-flight steps finish in well under a second unless the database or registry is slow. */
const CASE_BUSY_RETRY_SECONDS = 2;

export async function openCaseWorkflow(
  client: Client,
  taskQueue: string,
  intake: CaseIntake,
  idempotencyKey: string,
  requestId: string,
  person?: NotePerson,
): Promise<CaseView> {
  const workflowId = caseWorkflowId(intake.caseNumber);
  const start = new WithStartWorkflowOperation(WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args: [intake],
    // A retried intake finds the running case; a closed case is never started again.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      // The stage the workflow starts the case in.
      { key: PpksStage, value: needsHealthHold(intake.report.needs) ? 'health' : 'identification' },
      { key: PpksType, value: intake.report.ppksType },
      { key: FoundRegion, value: intake.report.foundRegion },
    ],
    staticSummary: caseSummary(intake.report.ppksType, intake.report.foundRegion, intake.reportedBy.role),
  });
  await person?.(workflowId, intakeUpdateId(intake.requestHash));
  try {
    return await client.workflow.executeUpdateWithStart(confirmIntake, {
      startWorkflowOperation: start,
      updateId: intakeUpdateId(intake.requestHash),
      args: [{ input: {}, actor: intake.reportedBy, requestKey: idempotencyKey, requestHash: intake.requestHash, requestId }],
    });
  } catch (error) {
    if (refusal(error) === CASE_NUMBER_TAKEN) throw caseNumberTaken();
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    // The case was opened by this request and has closed since.
    const handle = client.workflow.getHandle(workflowId);
    if ((await handle.query(intakeRequestHash)) !== intake.requestHash) throw caseNumberTaken();
    return handle.query(caseView);
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

/**
 * The answer an accepted step's Update gave, from the case's current run; 'in progress' while the
 * case has accepted it and not yet answered (it waits on an activity); null when it is not there.
 */
export async function answeredThen(client: Client, caseNumber: string, updateId: string): Promise<CaseView | 'in progress' | null> {
  const history = await client.workflow.getHandle(caseWorkflowId(caseNumber)).fetchHistory();
  let accepted = false;
  for (const event of history.events ?? []) {
    if (event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === updateId) accepted = true;
    const completed = event.workflowExecutionUpdateCompletedEventAttributes;
    if (completed?.meta?.updateId !== updateId || !completed.outcome?.success) continue;
    return decodeFromPayloadsAtIndex<CaseView>(client.options.loadedDataConverter, 0, completed.outcome.success.payloads);
  }
  return accepted ? 'in progress' : null;
}

export interface StepPost<Input> {
  caseNumber: string;
  update: UpdateDefinition<CaseView, [StepRequest<Input>]>;
  input: Input;
  actor: Actor;
  requestHash: RequestHash;
  idempotencyKey: string | undefined;
  requestId: string;
  /** The person signed in, noted for the step's audit entry; absent for an API key. */
  person?: NotePerson;
}

/** The case view after the step, and whether the workflow is still reacting to it (HTTP 202). */
export interface StepResult {
  view: CaseView;
  stillProcessing: boolean;
}

/**
 * Runs a step. A replayed Idempotency-Key returns the first result (Temporal deduplicates
 * Updates by ID); the same key with another request is a 409.
 */
export async function postStep<Input>(client: Client, post: StepPost<Input>, current: CaseView): Promise<StepResult> {
  const handle = client.workflow.getHandle(caseWorkflowId(post.caseNumber));
  const requestKey = post.idempotencyKey ?? randomUUID();
  // Only a reopening is sent to a closed case.
  const refusedAsClosed = current.status === 'closed' && post.update.name !== ('reopenCase' satisfies StepName);
  // A retry is sent with the hash its first attempt was accepted under (an earlier key's, after a rotation).
  let requestHash = post.requestHash.current;
  if (post.idempotencyKey !== undefined) {
    const firstHash = await handle.query(requestHashOf, requestKey);
    if (firstHash !== null && !post.requestHash.sameAs(firstHash)) throw keyReused();
    if (firstHash !== null) requestHash = firstHash;
    // The case has closed since: the step it replays is in the view.
    if (firstHash !== null && refusedAsClosed) return { view: current, stillProcessing: false };
  }
  if (refusedAsClosed) throw conflict('The case is closed');
  const updateId = stepUpdateId(requestKey, requestHash);
  await post.person?.(handle.workflowId, updateId);
  try {
    const view = await handle.executeUpdate(post.update, {
      args: [{ input: post.input, actor: post.actor, requestKey, requestHash, requestId: post.requestId }],
      updateId,
    });
    return { view, stillProcessing: false };
  } catch (error) {
    const refused = refusal(error);
    if (refused === IDEMPOTENCY_KEY_REUSED) throw keyReused();
    if (refused === CASE_RECORD_FULL) throw caseRecordFull();
    // Taken after all, whatever the call says: the workflow still waiting on the database or the registry,
    // the wait for its answer cut or turned away under load, or the run continued as new around the step
    // (the latest run carries the request hashes). Say so (202) rather than a refusal for a step taken.
    const accepted = await stepAccepted(client, post.caseNumber, requestKey, requestHash);
    if (accepted) return { view: accepted, stillProcessing: true };
    if (refused === STEP_NOT_ALLOWED) throw conflict((error as WorkflowUpdateFailedError).cause!.message);
    if (error instanceof WorkflowNotFoundError) throw conflict('The case is closed');
    if (isTemporalBusy(error)) throw caseBusy();
    throw error;
  }
}

async function stepAccepted(client: Client, caseNumber: string, requestKey: string, requestHash: string): Promise<CaseView | null> {
  const handle = client.workflow.getHandle(caseWorkflowId(caseNumber));
  return client.connection
    .withDeadline(Date.now() + 3000, async () =>
      (await handle.query(requestHashOf, requestKey)) === requestHash ? handle.query(caseView) : null,
    )
    .catch(() => null);
}

/** The ApplicationFailure type a validator refused an Update with, if that is what happened. */
function refusal(error: unknown): string | undefined {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

const caseBusy = () =>
  tooManyRequests(
    'Too many steps are in progress on this case at once; send this one again with the same Idempotency-Key',
    CASE_BUSY_RETRY_SECONDS,
  );
const caseRecordFull = () =>
  new HttpProblem(
    413,
    'Payload Too Large',
    `The case record has reached its size limit (${CASE_RECORD_BUDGET_BYTES / 1024} KiB). Only a step that closes the case is taken now; a supervisor may close it and open a follow-on case`,
  );
const keyReused = () => conflict('This Idempotency-Key was already used with another request');
const caseNumberTaken = () =>
  conflict(
    'This case number already belongs to a case opened by another request: the service database and Temporal disagree; tell the operator',
  );
