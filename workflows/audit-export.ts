/**
 * Run by the worker's Schedule (worker/audit-export-schedule.ts, every AUDIT_EXPORT_INTERVAL):
 * signs the heads of the audit trail and the access log into the export outside the database.
 * A broken chain fails the run, so that it shows in the Temporal UI as a failed audit export.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activities/index.js';
import type { SignedHead } from '../audit/signed-heads.js';

const { exportSignedHeads } = proxyActivities<Pick<CaseActivities, 'exportSignedHeads'>>({
  startToCloseTimeout: '10 minutes',
  // A few tries; the next scheduled run starts afresh.
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 5 },
});

export async function auditExport(): Promise<SignedHead[]> {
  const { signed, problems } = await exportSignedHeads();
  if (problems.length > 0) {
    throw ApplicationFailure.nonRetryable(`audit export refused to sign: ${problems.join('; ')}`, 'AuditChainBroken', { signed });
  }
  return signed;
}
