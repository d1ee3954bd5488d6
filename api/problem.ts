/**
 * RFC 9457 problem responses. Every error the API returns goes through here, so that
 * bad input is a 4xx naming the field, an outage is a 503 with Retry-After, and no
 * message ever echoes personal data.
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import { logger } from '../logger.js';
import { GRPC_RESOURCE_EXHAUSTED } from './temporal-retries.js';

export interface FieldError {
  path: string;
  message: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new HttpProblem(400, 'Bad Request', detail, errors);
export const unauthorized = (detail: string) =>
  new HttpProblem(401, 'Unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer realm="ppks"' });
export const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail);
export const notFound = (detail: string) => new HttpProblem(404, 'Not Found', detail);
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new HttpProblem(429, 'Too Many Requests', detail, undefined, { 'Retry-After': String(retryAfterSeconds) });
export const unavailable = (detail: string) => new HttpProblem(503, 'Service Unavailable', detail, undefined, { 'Retry-After': '5' });

/** Parses with a zod schema, or throws a 400 listing each field (prefixed, e.g. `query.page`). */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: [where === 'body' ? '' : where, ...issue.path.map(String)].filter(Boolean).join('.') || where,
    // Zod quotes unknown keys, and a key can be anything a caller typed (even a name): not echoed.
    message: issue.code === 'unrecognized_keys' ? 'unknown fields are not accepted here (see /openapi.json)' : issue.message,
  }));
  throw badRequest(`The request ${where} is not valid: ${errors.map((e) => e.path).join(', ')}`, errors);
}

function sendProblem(res: Response, problem: HttpProblem): void {
  res
    .status(problem.status)
    .set({ 'Content-Type': 'application/problem+json', ...problem.headers })
    .send(
      JSON.stringify({
        // RFC 9457 section 4.2.1: no problem types of our own yet, so the title is the status phrase.
        type: 'about:blank',
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        ...(problem.errors ? { errors: problem.errors } : {}),
      }),
    );
}

/** Errors from outside the API's own checks: body parsing, Temporal and PostgreSQL outages. */
export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (error instanceof HttpProblem) return sendProblem(res, error);
  const parserType = (error as { type?: string }).type;
  if (parserType === 'entity.parse.failed')
    return sendProblem(res, badRequest('The body is not valid JSON', [{ path: 'body', message: 'malformed JSON' }]));
  if (parserType === 'entity.too.large')
    return sendProblem(res, new HttpProblem(413, 'Payload Too Large', 'The body is larger than the API accepts'));
  if (parserType === 'encoding.unsupported' || parserType === 'charset.unsupported') {
    return sendProblem(res, new HttpProblem(415, 'Unsupported Media Type', 'Send UTF-8 JSON'));
  }
  if (isTemporalBusy(error)) {
    logger.warn({ err: errorSummary(error), reqId: req.id }, 'Temporal busy');
    return sendProblem(res, tooManyRequests('Temporal is at a limit for this request; retry shortly', 5));
  }
  if (isOutage(error)) {
    logger.warn({ err: errorSummary(error), reqId: req.id }, 'dependency unavailable');
    return sendProblem(res, unavailable('Temporal or the database is not reachable; retry shortly'));
  }
  logger.error({ err: errorSummary(error), reqId: req.id }, 'unexpected error');
  sendProblem(
    res,
    new HttpProblem(500, 'Internal Server Error', 'Something went wrong; the request may be retried with the same Idempotency-Key'),
  );
};

/** The failure type of an Update the server rejected because no worker processed it. */
const UNPROCESSED_UPDATE = 'UnprocessedUpdate';

/**
 * gRPC status codes that mean Temporal could not be reached in time: sending again is right.
 * CANCELLED is what the client reports when the API's own deadline (`withDeadline`, every
 * request) cuts a call short, a query waiting for a worker being restarted for example; nothing
 * else in the API cancels calls.
 */
const GRPC_CANCELLED = 1;
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/**
 * gRPC UNAVAILABLE / DEADLINE_EXCEEDED / CANCELLED from Temporal (by code: the client wraps every gRPC
 * failure in a ServiceError, an invalid argument or internal error too, and those are 500s), a
 * connection to Temporal that could not be made, an Update no worker processed, or a refused,
 * dropped or timed-out database connection.
 */
export function isOutage(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: unknown; name?: string; message?: string };
  if (e?.code === GRPC_UNAVAILABLE || e?.code === GRPC_DEADLINE_EXCEEDED || e?.code === GRPC_CANCELLED) return true;
  if (typeof e?.code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001'].includes(e.code))
    return true;
  if (e?.name === 'ConnectionError') return true;
  // An Update call cut off by the deadline: under load gRPC may report it CANCELLED rather than DEADLINE_EXCEEDED.
  if (e?.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return true;
  // An Update the server handed to the worker in a workflow task that ended without it (a task
  // lost in a race under load): the server turns it down unapplied, so sending it again is safe.
  if (e?.name === 'ApplicationFailure' && (e as { type?: unknown }).type === UNPROCESSED_UPDATE) return true;
  // pg: a connection that could not be made, or none free in the pool, within the connect timeout; or
  // a client whose connection broke (PostgreSQL restarting) asked for its next query of a transaction.
  if (/Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|is not queryable/.test(e?.message ?? ''))
    return true;
  return e?.cause !== undefined && e.cause !== error && isOutage(e.cause);
}

const GRPC_FAILED_PRECONDITION = 9;

/**
 * gRPC FAILED_PRECONDITION from a query: the workflow cannot answer yet, because no worker has
 * completed its first workflow task (none polls its queue, or its task keeps failing). Not an
 * outage of Temporal (a request for that case alone gets 500 with the code logged); a rollout
 * over many cases reports it as one it could not reach.
 */
export function isWorkflowNotReady(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: unknown };
  if (e?.code === GRPC_FAILED_PRECONDITION) return true;
  return e?.cause !== undefined && e.cause !== error && isWorkflowNotReady(e.cause);
}

/**
 * gRPC RESOURCE_EXHAUSTED from Temporal: a limit such as 10 Updates in flight per workflow, which
 * the API's connection does not retry for Updates (api/temporal-retries.ts).
 */
export function isTemporalBusy(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: unknown };
  if (e?.code === GRPC_RESOURCE_EXHAUSTED) return true;
  return e?.cause !== undefined && e.cause !== error && isTemporalBusy(e.cause);
}

/**
 * Error names and codes down the cause chain (a ServiceError's gRPC code is on its cause), never
 * messages: messages from lower layers may quote request data.
 */
export function errorSummary(error: unknown) {
  const chain: { name?: string; code?: unknown }[] = [];
  for (let e = error as { name?: string; code?: unknown; cause?: unknown } | undefined; e && chain.length < 5; e = e.cause as typeof e) {
    chain.push({ name: e.name, code: e.code });
    if (e.cause === e) break;
  }
  const stack = (error as { stack?: string })?.stack?.split('\n').slice(1, 4).join('\n');
  return { name: chain[0]?.name, code: chain.find((link) => link.code !== undefined)?.code, causes: chain.slice(1), stack };
}
