/** Which failures the API answers 503 (send it again) rather than 500 or a refusal. */
import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { errorSummary, isOutage, isWorkflowNotReady } from '../../api/problem.js';
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

describe('isOutage for the database', () => {
  // As pg words them (pg/lib/client.js, pg-pool): errors with no SQLSTATE code, told apart by message only.
  it('counts a connection that broke or could not be made: send it again', () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'Client has encountered a connection error and is not queryable',
      'Client was closed and is not queryable',
      'timeout exceeded when trying to connect',
      'connect ECONNREFUSED 127.0.0.1:5432',
    ])
      expect(isOutage(new Error(message)), message).toBe(true);
    expect(isOutage(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
  });

  it('does not count an error in the request itself: a 500', () => {
    expect(isOutage(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isOutage(new Error('Received unexpected dataRow message from backend.'))).toBe(false);
  });
});

describe('isOutage by gRPC code', () => {
  // As @temporalio/client raises them: a ServiceError whose cause carries the gRPC status code.
  const serviceError = (code: number) =>
    new ServiceError('Failed to query workflow', { cause: Object.assign(new Error('grpc'), { code }) });

  it('counts Temporal unavailable or out of time: send it again', () => {
    expect(isOutage(serviceError(14))).toBe(true); // UNAVAILABLE
    expect(isOutage(serviceError(4))).toBe(true); // DEADLINE_EXCEEDED
    expect(isOutage(serviceError(1))).toBe(true); // CANCELLED: the API's own deadline cut the call
  });

  it('does not count a Temporal error that sending again would not cure: a 500, logged with its code', () => {
    for (const code of [3, 5, 7, 9, 12, 13]) expect(isOutage(serviceError(code)), `gRPC code ${code}`).toBe(false);
    expect(errorSummary(serviceError(3))).toMatchObject({ name: 'ServiceError', code: 3 });
  });
});

describe('isWorkflowNotReady', () => {
  it('is a query answered FAILED_PRECONDITION (no worker has run the case yet), wrapped as the client wraps it', () => {
    const notReady = new ServiceError('Failed to query Workflow', { cause: Object.assign(new Error('not ready'), { code: 9 }) });
    expect(isWorkflowNotReady(notReady)).toBe(true);
    expect(isOutage(notReady)).toBe(false);
  });

  it('is not any other gRPC failure', () => {
    for (const code of [3, 5, 13, 14]) {
      expect(isWorkflowNotReady(new ServiceError('failed', { cause: Object.assign(new Error('x'), { code }) })), `code ${code}`).toBe(
        false,
      );
    }
  });
});
