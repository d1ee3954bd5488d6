/**
 * A case's life beyond its stages: a long case goes on in a new run, a closed case frees its bed
 * and stays open to reopening for a while.
 */
import { allHandlersFinished, condition, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import { activities } from './activities.js';
import type { CaseState } from './case-state.js';
import { CONTINUE_AS_NEW_PATCH, REOPEN_WINDOW_PATCH } from './patches.js';
import { publish, settle } from './publish.js';

/** How long a closed case can still be reopened before its workflow completes. */
const REOPEN_WINDOW = '30 days';
/** Well under Temporal's 4,096-event suggestion: a run stays quick to replay. */
const HISTORY_LIMIT = 400;

/**
 * A case can live for years (a UPT stay with monthly visits): past HISTORY_LIMIT events, or when
 * Temporal suggests it, the case goes on in a new run with its whole state, its SLA clock and
 * the requests it has processed. Only between steps, with no handler running.
 */
export async function continueAsNewIfLong(c: CaseState): Promise<void> {
  const info = workflowInfo();
  if (!(info.continueAsNewSuggested || info.historyLength > HISTORY_LIMIT) || !patched(CONTINUE_AS_NEW_PATCH)) return;
  // A step waiting for the reaction gets its answer now: the reaction comes in the new run.
  settle(c);
  await condition(allHandlersFinished);
  await continueAsNew<(intake: CaseState['intake'], carried: CaseState) => Promise<unknown>>(c.intake, c);
}

export async function closeOut(c: CaseState): Promise<void> {
  if (c.view.upt) await activities.releaseBed(c.view.caseNumber);
  await publish(c);
  settle(c);
}

/** A supervisor may reopen a closed case within the window; then it resumes where it was closed. */
export async function reopenedInTime(c: CaseState): Promise<boolean> {
  if (!patched(REOPEN_WINDOW_PATCH)) return false;
  c.awaitingReopen = true;
  const reopened = await condition(() => c.reopened, REOPEN_WINDOW, { summary: 'reopening window' });
  c.awaitingReopen = false;
  c.reopened = false;
  return reopened;
}
