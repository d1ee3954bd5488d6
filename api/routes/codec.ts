/**
 * The codec endpoint: Temporal's remote codec protocol, so that a supervisor reads decrypted
 * payloads in the Web UI or the CLI. `POST /codec/decode` takes and returns
 * `{"payloads":[{"metadata":{k: base64}, "data": base64}]}`; `X-Namespace` is accepted and
 * ignored (one keyring serves the namespace). Callers prove they are supervisors with
 * `Authorization: Bearer <API key>` (what `temporal --codec-auth` sends) or the session cookie
 * of /codec/login (what the browser sends once the UI includes credentials). It decodes with
 * the API's own Temporal data converter. Payloads and keys are never logged. There is no
 * `/encode`: whoever could encode could hand a case an Update in an agency's name.
 */
import { createHash } from 'node:crypto';
import express from 'express';
import type { Client } from '@temporalio/client';
import { type Payload, ValueError } from '@temporalio/common';
import { JSONToPayload, payloadToJSON } from '@temporalio/common/lib/proto-utils.js';
import { z } from 'zod';
import { config } from '../../config.js';
import type { Pool } from '../../db/pool.js';
import { appendAccess } from '../../audit/access-log.js';
import { WORKFLOW_ID_METADATA } from '../../encryption/payload-codec.js';
import { ACCESS_MATRIX, authorize, permit } from '../access.js';
import { requestIdOf } from '../request-id.js';
import type { AuthFailureLimiter } from '../auth-failures.js';
import { actorOf, apiKeyCredential, authenticate, authenticated, type Credential } from '../auth.js';
import { codecCors } from '../codec-cors.js';
import { agencyForCodecSession, openCodecSession } from '../codec-sessions.js';
import { badRequest, parseOr400 } from '../problem.js';

const SESSION_COOKIE = 'ppks_codec_session';
const SESSION_IN_COOKIE_HEADER = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=([A-Za-z0-9_-]+)`);
const PAGE_HEADERS = { 'Content-Security-Policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'" };

const codecBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).nullish(), data: z.string().nullish() })),
});

export function codecRoutes(pool: Pool, temporal: Client, failures: AuthFailureLimiter): express.Router {
  const codecs = temporal.options.loadedDataConverter.payloadCodecs;
  const router = express.Router();
  router.use(codecCors(config.temporalUiOrigins));
  // Decoded payloads are personal data: no cache keeps them.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/login', (_req, res) => {
    res.type('html').set(PAGE_HEADERS).send(LOGIN_PAGE);
  });

  router.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const apiKey = typeof req.body?.apiKey === 'string' ? req.body.apiKey.trim() : '';
    const actor = await authenticated(
      failures,
      req.ip ?? 'unknown',
      apiKey ? apiKeyCredential(pool, `Bearer ${apiKey}`) : null,
      'Paste a supervisor API key',
    );
    res.locals.actor = actor;
    authorize(actor, 'payloads.decode', {});
    const { token, expiresAt } = await openCodecSession(pool, apiKey);
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/codec', secure: req.secure, expires: expiresAt });
    res.type('html').set(PAGE_HEADERS).send(loggedInPage(expiresAt));
  });

  // Authenticated before the body is read: strangers cannot make us parse 4 MB.
  const supervisor = authenticate(
    failures,
    (req) => apiKeyCredential(pool, req.get('authorization')) ?? sessionCredential(pool, req.get('cookie')),
    'Send a supervisor API key as `Authorization: Bearer <key>`, or log in at /codec/login',
  );
  const json = express.json({ limit: '4mb', strict: true });

  router.post('/decode', supervisor, permit('payloads.decode'), json, async (req, res) => {
    const encoded = parsePayloads(req.body);
    let payloads = encoded;
    for (const codec of [...codecs].reverse()) payloads = await applyCodec(() => codec.decode(payloads));
    // Every decode is a disclosure: in the access log, per case, before the answer leaves.
    for (const [workflowId, count] of payloadsPerWorkflow(encoded)) {
      await appendAccess(pool, {
        caseNumber: workflowId.replace(/^case-/, ''),
        agencyId: actorOf(res).agencyId,
        role: actorOf(res).role,
        endpoint: `${ACCESS_MATRIX['payloads.decode'].endpoint} (${count} payload${count === 1 ? '' : 's'})`,
        requestId: requestIdOf(req),
        at: new Date().toISOString(),
      });
    }
    res.json({ payloads: payloads.map(payloadToJSON) });
  });

  return router;
}

/** How many payloads of each workflow (by the ID bound into each ciphertext; `unknown` for payloads from before). */
function payloadsPerWorkflow(payloads: Payload[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const payload of payloads) {
    const bound = payload.metadata?.[WORKFLOW_ID_METADATA];
    const workflowId = bound ? Buffer.from(bound).toString('utf8') : 'unknown';
    counts.set(workflowId, (counts.get(workflowId) ?? 0) + 1);
  }
  return counts;
}

/** The session cookie of /codec/login, if sent. */
function sessionCredential(pool: Pool, cookie: string | undefined): Credential | null {
  const token = SESSION_IN_COOKIE_HEADER.exec(cookie ?? '')?.[1];
  return token === undefined
    ? null
    : {
        hash: createHash('sha256').update(token).digest('hex'),
        lookup: () => agencyForCodecSession(pool, token),
        refusal: 'The codec session has ended; log in again at /codec/login',
      };
}

function parsePayloads(body: unknown): Payload[] {
  return parseOr400(codecBody, body, 'body').payloads.map((payload, index) => {
    try {
      return JSONToPayload(payload);
    } catch {
      throw badRequest(`payloads.${index} is not a Payload in protobuf JSON`, [{ path: `payloads.${index}`, message: 'invalid base64' }]);
    }
  });
}

/** The codec's own errors (unknown key ID, failed authentication) say nothing of the content: 400. */
async function applyCodec(run: () => Promise<Payload[]>): Promise<Payload[]> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ValueError) throw badRequest(`The codec refused a payload: ${error.message}`);
    throw error;
  }
}

const LOGIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PPKS codec login</title></head><body>
<h1>Read case data in the Temporal Web UI</h1>
<form method="post" action="login">
  <label>Supervisor API key <input name="apiKey" type="password" autocomplete="off" required></label>
  <button type="submit">Log in</button>
</form>
<p>Then, in the Temporal UI's codec server settings, turn on "Include cross-origin credentials".</p>
</body></html>
`;

const loggedInPage = (expiresAt: Date) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PPKS codec login</title></head><body>
<h1>Logged in until ${expiresAt.toISOString()}</h1>
<p>The Temporal Web UI now shows decoded payloads in this browser, once "Include cross-origin credentials"
is on in its codec server settings.</p>
</body></html>
`;
