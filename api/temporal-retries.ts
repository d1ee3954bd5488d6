/**
 * The retries of the API's Temporal connection: the SDK's defaults, except that an Update refused
 * with RESOURCE_EXHAUSTED (10 Updates already in flight on the case) is not retried inside the
 * request. Retrying would hold the agency's request until the deadline and end in a 503; the
 * agency gets a 429 with Retry-After at once instead (api/case-workflows.ts).
 */
import { type ConnectionOptions, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

type GrpcInterceptor = NonNullable<ConnectionOptions['interceptors']>[number];

export const GRPC_RESOURCE_EXHAUSTED = 8;
const UPDATE_METHODS = /\/(UpdateWorkflowExecution|ExecuteMultiOperation)$/;

const sdkDefaults = defaultGrpcRetryOptions();
const retryAsTheSdkDoes = makeGrpcRetryInterceptor(sdkDefaults);
const retryButNotWhenBusy = makeGrpcRetryInterceptor({
  ...sdkDefaults,
  retryableDecider: (attempt, status) => status.code !== GRPC_RESOURCE_EXHAUSTED && sdkDefaults.retryableDecider(attempt, status),
});

export const apiTemporalInterceptors: GrpcInterceptor[] = [
  (options, nextCall) => (UPDATE_METHODS.test(options.method_definition.path) ? retryButNotWhenBusy : retryAsTheSdkDoes)(options, nextCall),
];
