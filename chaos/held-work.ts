/**
 * Which cases a worker kill hit without any of their requests being in flight: the case's workflow
 * had a task or an activity on the killed worker, and its history shows it timing out before
 * another worker took it (a workflow task timed out, or an activity attempt after a timeout).
 * Read from Temporal once the run has settled; chaos/windows.ts attributes the 503s with it.
 */
import type { Client } from '@temporalio/client';
import pLimit from 'p-limit';
import { tsToMs } from '@temporalio/common/lib/time.js';
import { caseWorkflowId } from '../workflows/messages.js';
import { type CaseRun, caseRequestPrefix } from './case-driver.js';

/** Per case (its request prefix), the times (ms since the run started) its history shows work that timed out on a worker. */
export async function timedOutWork(temporal: Client, runs: CaseRun[], runId: string, startedAt: number): Promise<Map<string, number[]>> {
  // A few histories at a time: the full run reads 500 of them once it has settled.
  const limit = pLimit(8);
  const perCase = await Promise.all(
    runs.map((run) =>
      limit(async () => {
        if (!run.caseNumber) return null;
        const history = await temporal.workflow.getHandle(caseWorkflowId(run.caseNumber)).fetchHistory();
        const times = (history.events ?? [])
          .filter(
            (event) =>
              event.workflowTaskTimedOutEventAttributes ||
              ((event.activityTaskStartedEventAttributes?.attempt ?? 1) > 1 &&
                event.activityTaskStartedEventAttributes?.lastFailure?.timeoutFailureInfo),
          )
          .map((event) => tsToMs(event.eventTime) - startedAt);
        return times.length ? ([caseRequestPrefix(runId, run.spec.index), times] as const) : null;
      }),
    ),
  );
  return new Map(perCase.filter((entry) => entry !== null));
}
