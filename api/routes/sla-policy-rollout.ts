/**
 * `POST /v1/sla-policies/{step}/apply`: a supervisor puts the cases whose clock for that step is
 * running now under the policy in force, instead of only the clocks started afterwards. Each case
 * gets a Workflow Update keyed on the policy version, so applying the same version twice changes
 * nothing, and each application is in the case's steps and audit trail.
 */
import { Router } from 'express';
import { type Client, QueryNotRegisteredError, WorkflowNotFoundError } from '@temporalio/client';
import type { Pool } from '../../db/pool.js';
import type { CaseView } from '../../domain/case-view.js';
import { applySlaPolicy } from '../../workflows/messages.js';
import { permit } from '../access.js';
import { actorOf } from '../auth.js';
import { postStep } from '../case-workflows.js';
import { HttpProblem, isOutage, isWorkflowNotReady, parseOr400 } from '../problem.js';
import { requestHash } from '../request-hash.js';
import { requestIdOf } from '../request-id.js';
import { SlaPolicyRolloutBody, SlaStepParam } from '../schemas/sla-policies.js';

/** Cases updated at once: enough to roll out quickly, few enough to leave the worker room for agencies. */
const CONCURRENCY = 8;
const PER_CASE_DEADLINE_MS = 3000;

export function slaPolicyRolloutRoutes(pool: Pool, temporal: Client): Router {
  const router = Router();

  router.post('/:step/apply', permit('sla_policy.apply'), async (req, res) => {
    const actor = actorOf(res);
    const step = parseOr400(SlaStepParam, req.params.step, 'path');
    const { ppksType } = parseOr400(SlaPolicyRolloutBody, req.body ?? {}, 'body');
    const running = await pool.query<{ view: CaseView }>(
      `SELECT view FROM cases WHERE status = 'open' AND view->'sla'->>'stage' = $1 AND ($2::text IS NULL OR ppks_type = $2)
       ORDER BY case_number`,
      [step, ppksType ?? null],
    );
    const versions = await pool.query<{ ppks_type: string | null; version: number }>(
      'SELECT ppks_type, version FROM sla_policies WHERE step = $1',
      [step],
    );
    const versionFor = (type: string) =>
      versions.rows.find((row) => row.ppks_type === type) ?? versions.rows.find((row) => row.ppks_type === null)!;

    const applied: string[] = [];
    const skipped: { caseNumber: string; reason: string }[] = [];
    const unreachable: string[] = [];
    const queue = [...running.rows];
    const applyNext = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const current = next.view;
        const policy = versionFor(current.ppksType);
        const input = { step };
        try {
          // Each case gets its own deadline: one that does not answer must not hold up the others.
          await temporal.connection.withDeadline(Date.now() + PER_CASE_DEADLINE_MS, () =>
            postStep(
              temporal,
              {
                caseNumber: current.caseNumber,
                update: applySlaPolicy,
                input,
                actor,
                requestId: requestIdOf(req),
                idempotencyKey: `sla-policy/${step}/${policy.ppks_type ?? 'default'}/v${policy.version}`,
                requestHash: requestHash('sla_policy.apply', current.caseNumber, input),
              },
              current,
            ),
          );
          applied.push(current.caseNumber);
        } catch (error) {
          // The clock moved on (or the case closed, or its record is full) since the index was read: nothing to apply.
          if (error instanceof HttpProblem && [409, 413].includes(error.status))
            skipped.push({ caseNumber: current.caseNumber, reason: error.detail });
          // Applying the same version again is harmless: the supervisor retries these (busy cases too).
          // The index names a case whose workflow cannot answer as a case (gone, or not this service's): skipped, not a failed rollout.
          else if (error instanceof QueryNotRegisteredError || error instanceof WorkflowNotFoundError)
            skipped.push({ caseNumber: current.caseNumber, reason: 'no running case workflow answers for it' });
          // Temporal or the case's worker did not answer (or has not yet run the case): try again later.
          else if (isOutage(error) || isWorkflowNotReady(error) || (error instanceof HttpProblem && [429, 503].includes(error.status)))
            unreachable.push(current.caseNumber);
          else throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, applyNext));
    res.json({ step, ppksType: ppksType ?? null, applied: applied.sort(), skipped, unreachable: unreachable.sort() });
  });

  return router;
}
