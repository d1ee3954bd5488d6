/**
 * Cursor pagination of the API's lists. A list takes `limit` (1-500, default 50) and `cursor`,
 * reads one row more than the page to know whether another follows, and answers `next`: the same
 * request (filters kept) with the cursor of the page's last row, also sent as `Link: <...>; rel="next"`.
 * The cursor is keyset (the ordering columns of that row), so rows added meanwhile neither repeat
 * nor shift a page; it is opaque to agencies (base64url JSON) and checked like any input.
 */
import type { Request, Response } from 'express';
import { z } from '../domain/schemas.js';
import { badRequest } from './problem.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** A yes-or-no filter of a list, as a query string says it: `true` or `false`. */
export const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

/** The query fields every paged list takes. */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(DEFAULT_LIMIT)
    .openapi({ type: 'integer', description: `Rows per page, 1-${MAX_LIMIT}`, example: DEFAULT_LIMIT }),
  cursor: z
    .string()
    .max(500)
    .optional()
    .openapi({ description: 'Where the page starts: take it from the `next` link of the page before, as it is' }),
};

/** A page of a list as the API answers it: `{ "items": [...], "next": "<link>" | null }`. */
export const pageOf = <S extends z.ZodType>(item: S) =>
  z.object({
    items: z.array(item),
    next: z.string().nullable().openapi({ description: 'The next page (same filters), or null on the last page; also a `Link` header' }),
  });

/** The key of the row a cursor names, for the list it belongs to; a 400 naming `cursor` for anything else. */
export function cursorKey<S extends z.ZodType>(list: string, cursor: string | undefined, key: S): z.output<S> | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = z.strictObject({ list: z.literal(list), after: key }).safeParse(decoded);
  if (!parsed.success)
    throw badRequest('The request query is not valid: query.cursor', [
      { path: 'query.cursor', message: 'not a cursor of this list: follow the `next` link as given' },
    ]);
  return (parsed.data as { after: z.output<S> }).after;
}

/**
 * The page of `rows` (read with LIMIT limit + 1) and the link to the next one, set as the `Link`
 * header too; `key` gives a row's ordering columns, as `cursorKey` reads them back.
 */
export function page<Row>(req: Request, res: Response, list: string, rows: Row[], limit: number, key: (row: Row) => unknown) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  if (rows.length <= limit || last === undefined) return { items, next: null };
  // The path as routed (never a caller's `//host` spelling), the query as sent but for the position.
  const path = `${req.baseUrl}${req.path === '/' ? '' : req.path}`;
  const at = req.originalUrl.indexOf('?');
  const query = new URLSearchParams(at === -1 ? '' : req.originalUrl.slice(at + 1));
  // A page number (the case list's older form) would be counted again on top of the cursor.
  query.delete('page');
  query.set('cursor', Buffer.from(JSON.stringify({ list, after: key(last) })).toString('base64url'));
  const next = `${path}?${query}`;
  res.links({ next });
  return { items, next };
}
