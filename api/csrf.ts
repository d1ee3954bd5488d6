/**
 * CSRF protection of requests made with a session cookie (issue 15). A state-changing request
 * must come from a page of the API's own origin (or one configured) AND send back the session's
 * synchronizer token in `X-CSRF-Token`, which another site's page can neither read nor guess.
 * Requests with an API key need neither: a browser never adds an Authorization header by itself.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { forbidden } from './problem.js';

const CSRF_HEADER = 'X-CSRF-Token';

/** GET, HEAD and OPTIONS change nothing; every other method does. */
export const changesState = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

/** The API's own origin as the browser sees it (behind a proxy: with TRUST_PROXY set, the forwarded scheme and host). */
const ownOrigin = (req: Request) => `${req.protocol}://${req.get('host') ?? ''}`;

/** Throws 403 unless `Origin` names the API's own origin or an allowed one. */
export function checkOrigin(req: Request, allowedOrigins: readonly string[]): void {
  const origin = req.get('origin');
  if (origin === undefined) throw forbidden('A request made with a session cookie must send the Origin header');
  if (origin !== ownOrigin(req) && !allowedOrigins.includes(origin)) {
    throw forbidden('The Origin header names a site that may not make requests with a session cookie');
  }
}

/** Throws 403 unless the request is from an allowed origin and sends the session's token in X-CSRF-Token. */
export function checkCsrf(req: Request, csrfToken: string, allowedOrigins: readonly string[]): void {
  checkOrigin(req, allowedOrigins);
  const sent = Buffer.from(req.get(CSRF_HEADER) ?? '');
  if (sent.length === 0)
    throw forbidden(`A request made with a session cookie must send the ${CSRF_HEADER} header (from sign-in or GET /v1/me)`);
  const expected = Buffer.from(csrfToken);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected))
    throw forbidden(`The ${CSRF_HEADER} header is not this session's token`);
}
