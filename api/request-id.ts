/**
 * Every request gets an ID, returned as `X-Request-Id` and recorded in the audit trail and the
 * access log. A caller's own ID is kept when it is a plain token, so agencies can correlate.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';

const CALLER_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && CALLER_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

export const requestIdOf = (req: Request): string => String(req.id);
