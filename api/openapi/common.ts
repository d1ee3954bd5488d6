/** What every documented route shares: JSON and problem+json bodies, the usual errors, and "who may" from the access matrix. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../../domain/schemas.js';
import { ACCESS_MATRIX, type Action } from '../access.js';

const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
export const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });
export const errors = {
  400: problem('Bad input; `errors` names each field'),
  401: problem('No or unknown API key'),
  403: problem('Role or scope not allowed (see the access matrix)'),
  429: problem('Too many failed authentications from this client or with this key; see Retry-After'),
  503: problem('Temporal or the database is unavailable; see Retry-After'),
};
export const caseNumber = z.object({ caseNumber: z.string().openapi({ example: '3578-2026-000001' }) });
export const idempotencyKey = (required: boolean) =>
  z.object({ 'Idempotency-Key': required ? z.string().min(1).max(200) : z.string().min(1).max(200).optional() });

/** Method and path come from the access matrix, and so does "who may". */
export function route(action: Action, config: Omit<RouteConfig, 'method' | 'path'>): RouteConfig {
  const [method, path] = ACCESS_MATRIX[action].endpoint.split(' ') as [string, string];
  const who = Object.entries(ACCESS_MATRIX[action].grants).map(([role, rule]) => (rule === 'any' ? role : `${role} (${rule})`));
  const description = [`Who: ${who.join(', ')}.`, config.description].filter(Boolean).join(' ');
  return { ...config, method: method.toLowerCase() as RouteConfig['method'], path, description };
}

/** The responses of a route that answers 200 with `schema`: that, the usual errors, and those of its own. */
export const ok = (description: string, schema: z.ZodType, own: Record<number, ReturnType<typeof problem>> = {}) => ({
  200: { description, ...json(schema) },
  ...errors,
  ...own,
});

/** A list as the API answers it: `{ "items": [...] }`. */
export const items = (schema: z.ZodType) => z.object({ items: z.array(schema) });
