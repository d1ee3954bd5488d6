/**
 * What every documented route shares: JSON and problem+json bodies, the headers answers carry,
 * "who may" from the access matrix, and the answers every /v1 operation can give besides its own
 * (derived once here from the method, the matrix and whether it takes a body, never repeated per route).
 */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ROLES } from '../../domain/case.js';
import { z } from '../../domain/schemas.js';
import { ACCESS_MATRIX, type Action, type Grants } from '../access.js';
import { pageOf } from '../pagination.js';

const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

type Headers = Record<string, { description: string; schema: { type: 'string' | 'integer'; minimum?: number } }>;
const header = (description: string, type: 'string' | 'integer' = 'string'): Headers[string] => ({
  description,
  schema: type === 'integer' ? { type, minimum: 1 } : { type },
});
export const RETRY_AFTER: Headers = { 'Retry-After': header('Seconds to wait before sending the same request again', 'integer') };
const ETAG: Headers = { ETag: header('The entry\'s version as a strong entity tag (`"7"`): send it back in If-Match') };

export const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
export const problem = (description: string, headers?: Headers) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/problem+json': { schema: Problem } },
});
type Responses = RouteConfig['responses'];

export const caseNumber = z.object({ caseNumber: z.string().openapi({ example: '3578-2026-000001' }) });
export const idempotencyKey = (required: boolean) =>
  z.object({ 'Idempotency-Key': required ? z.string().min(1).max(200) : z.string().min(1).max(200).optional() });

/** The If-Match a PUT of a versioned entry takes (optional: without it the change applies to any version). */
export const ifMatch = z.object({
  'If-Match': z
    .string()
    .optional()
    .openapi({ description: 'The ETag read (`"7"`), or `*`: the change applies only at that version, else 412', example: '"7"' }),
});

/** The answers of a route that answers 200 with `schema`, and those of its own. */
export const ok = (description: string, schema: z.ZodType, own: Responses = {}): Responses => ({
  200: { description, ...json(schema) },
  ...own,
});

/** 200 with a versioned entry and its ETag, and the route's own answers. */
export const versioned = (description: string, schema: z.ZodType, own: Responses = {}): Responses => ({
  200: { description, headers: ETAG, ...json(schema) },
  ...own,
});

/** A PUT's 412: If-Match named another version; the current ETag comes along when the entry exists. */
export const preconditionFailed = problem('If-Match does not name the current version (changed meanwhile, or no such entry)', ETAG);

/** A list as the API answers it: `{ "items": [...] }`. */
export const items = (schema: z.ZodType) => z.object({ items: z.array(schema) });

/** 200 with one page of a paged list, its `next` link also in a Link header. */
export const paged = (description: string, schema: z.ZodType, extra?: z.ZodRawShape): Responses => ({
  200: {
    description,
    headers: { Link: header('`<next link>; rel="next"` when another page follows') },
    ...json(extra ? pageOf(schema).extend(extra) : pageOf(schema)),
  },
});

/** A step accepted whose reaction is still running: the view as it stands, where to read the outcome, and when. */
export const accepted = (description: string, schema: z.ZodType): Responses => ({
  202: {
    description,
    headers: { Location: header('The case, to read the outcome'), ...RETRY_AFTER },
    ...json(schema),
  },
});

/** 201 with the new entry and where it is. */
export const created = (description: string, schema: z.ZodType, location: boolean): Responses => ({
  201: { description, ...(location ? { headers: { Location: header('Where the new entry is read') } } : {}), ...json(schema) },
});

/** Answers of the unauthenticated service endpoints too: an outage, or the API shutting down. */
export const unavailable = problem('Temporal or the database is not reachable, or the API is shutting down; see Retry-After', RETRY_AFTER);

/** A route as documented: its own answers; `scopeFilters` when the scope narrows a list instead of refusing; `notModified: false` when its ETag does not cover the whole answer. */
interface Documented extends Omit<RouteConfig, 'method' | 'path' | 'responses' | 'operationId'> {
  responses: Responses;
  scopeFilters?: true;
  notModified?: false;
}

/** What any /v1 operation can answer besides its own answers. */
function commonResponses(method: string, grants: Grants, takesBody: boolean, { scopeFilters, notModified }: Documented): Responses {
  // Refused when a role has no grant (before anything is read), or by scope on the case, intake or alert concerned.
  const refuses =
    ROLES.some((role) => grants[role] === undefined) || (!scopeFilters && Object.values(grants).some((rule) => rule !== 'any'));
  return {
    ...(method === 'get' && notModified !== false ? { 304: { description: 'Not modified: If-None-Match names the current ETag' } } : {}),
    400: problem('Bad input; `errors` names each field (`path.`, `query.`, `header.` or the body field)'),
    401: problem('No or unknown API key, or no live session', { 'WWW-Authenticate': header('`Bearer realm="ppks"`') }),
    ...(refuses || method !== 'get'
      ? {
          403: problem(
            'Role or scope not allowed (see the access matrix); with a session cookie, a state-changing request without an allowed Origin or the X-CSRF-Token',
          ),
        }
      : {}),
    ...(takesBody
      ? { 413: problem('The body is over 64 kB (or, on a step, the case record is full)'), 415: problem('The body is not UTF-8 JSON') }
      : {}),
    429: problem('Too many failed authentications from this client or with this key, or Temporal at a limit; see Retry-After', RETRY_AFTER),
    500: problem('Unexpected: the request may be sent again (with the same Idempotency-Key)'),
    503: unavailable,
  };
}

/** `case.intake` → `caseIntake`: one operation per action of the matrix, so every operationId is unique. */
const operationIdOf = (action: Action) => action.replace(/[._]([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** Method and path come from the access matrix, and so do "who may" and the common answers. */
export function route(action: Action, config: Documented): RouteConfig {
  const { scopeFilters: _scope, notModified: _cached, ...documented } = config;
  const { endpoint, grants } = ACCESS_MATRIX[action] as { endpoint: string; grants: Grants };
  const [method, path] = endpoint.split(' ') as [string, string];
  const who = Object.entries(grants).map(([role, rule]) => (rule === 'any' ? role : `${role} (${rule})`));
  const description = [`Who: ${who.join(', ')}.`, config.description].filter(Boolean).join(' ');
  return {
    ...documented,
    operationId: operationIdOf(action),
    method: method.toLowerCase() as RouteConfig['method'],
    path,
    description,
    responses: { ...commonResponses(method.toLowerCase(), grants, config.request?.body !== undefined, config), ...config.responses },
  };
}
