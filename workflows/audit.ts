/**
 * Every accepted agency step goes into the audit trail, written through an activity keyed on
 * the step's Update ID: a retried activity or a replayed request never writes twice, and the
 * step's response waits until its entry is stored.
 */
import { currentUpdateInfo, patched, workflowInfo } from '@temporalio/workflow';
import { type CaseState, now } from './case-state.js';
import { activities } from './activities.js';
import { AUDIT_TRAIL_PATCH } from './patches.js';
import type { StepRequest } from './messages.js';
import type { CaseUpdateName } from '../domain/steps.js';

export async function recordInAuditTrail(c: CaseState, request: StepRequest<unknown>, stage: string): Promise<void> {
  if (!patched(AUDIT_TRAIL_PATCH)) return;
  const update = currentUpdateInfo()!;
  await activities.recordAuditEntry({
    // Update IDs are unique within one workflow only (two intakes with equal bodies share one).
    entryKey: `${workflowInfo().workflowId}/${update.id}`,
    caseNumber: c.view.caseNumber,
    // Named in the audit trail by the activity, from the step's definition (domain/steps.ts).
    update: update.name as CaseUpdateName,
    agencyId: request.actor.agencyId,
    role: request.actor.role,
    requestId: request.requestId ?? null,
    requestHash: request.requestHash,
    at: now(),
    details: { stage },
  });
}
