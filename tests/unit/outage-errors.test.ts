/** Which failures the API answers 503 (send it again) rather than 500 or a refusal. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { isOutage } from '../../api/problem.js';
import { STEP_NOT_ALLOWED } from '../../workflows/messages.js';

const updateFailed = (cause: ApplicationFailure) => new WorkflowUpdateFailedError('Workflow Update failed', cause);

describe('isOutage', () => {
  it('counts an Update the server turned down because no worker processed it', () => {
    // As the server words it (unprocessedUpdateFailure in service/history/workflow/update).
    const unprocessed = ApplicationFailure.create({
      type: 'UnprocessedUpdate',
      nonRetryable: true,
      message:
        "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker.",
    });
    expect(isOutage(updateFailed(unprocessed))).toBe(true);
  });

  it('does not count a step the case refused', () => {
    expect(isOutage(updateFailed(ApplicationFailure.create({ type: STEP_NOT_ALLOWED, nonRetryable: true, message: 'not now' })))).toBe(
      false,
    );
  });
});
