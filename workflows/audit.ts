/**
 * Every accepted agency step goes into the audit trail, written through an activity keyed on
 * the step's Update ID: a retried activity or a replayed request never writes twice, and the
 * step's response waits until its entry is stored.
 */
import { currentUpdateInfo, patched, workflowInfo } from '@temporalio/workflow';
import { type CaseState, now } from './case-state.js';
import { activities } from './activities.js';
import type { StepRequest } from './messages.js';

/** Cases whose steps were accepted before the audit trail existed replay without it. */
export const AUDIT_TRAIL_PATCH = 'audit-trail';

/** Audit actions share their names with the access matrix's. */
const AUDITED_AS: Record<string, string> = {
  confirmIntake: 'case.intake',
  recordHealthReferral: 'case.health_referral',
  recordHealthDischarge: 'case.health_discharge',
  recordIdentification: 'case.identification',
  recordAddress: 'case.address',
  recordDeparture: 'case.departure',
  recordHandover: 'case.handover',
  recordRelayDeparture: 'case.relay_departure',
  recordRelayHandover: 'case.relay_handover',
  transferUpt: 'case.transfer',
  recordAdmission: 'case.admission',
  recordFollowUp: 'case.follow_up',
  closeCase: 'case.close',
  pauseSla: 'case.pause',
  resumeSla: 'case.resume',
  extendSla: 'case.sla_extension',
  reassignStep: 'case.reassignment',
  moveOnByException: 'case.move_on',
  reopenCase: 'case.reopen',
  applySlaPolicy: 'sla_policy.apply',
};

export async function recordInAuditTrail(c: CaseState, request: StepRequest<unknown>, stage: string): Promise<void> {
  if (!patched(AUDIT_TRAIL_PATCH)) return;
  const update = currentUpdateInfo()!;
  await activities.recordAuditEntry({
    // Update IDs are unique within one workflow only (two intakes with equal bodies share one).
    entryKey: `${workflowInfo().workflowId}/${update.id}`,
    caseNumber: c.view.caseNumber,
    action: AUDITED_AS[update.name] ?? update.name,
    agencyId: request.actor.agencyId,
    role: request.actor.role,
    requestId: request.requestId ?? null,
    requestHash: request.requestHash,
    at: now(),
    details: { stage },
  });
}
