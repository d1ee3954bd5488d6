/**
 * The codec endpoint: Temporal's remote codec protocol, so that a supervisor reads decrypted
 * payloads in the Web UI or the CLI. `POST /codec/decode` takes and returns
 * `{"payloads":[{"metadata":{k: base64}, "data": base64}]}`; `X-Namespace` is accepted and
 * ignored (one keyring serves the namespace). Callers prove they are supervisors with
 * `Authorization: Bearer <API key>` (what `temporal --codec-auth` sends) or a person's session
 * cookie, past its second factor: the Web UI, served by the API's Temporal UI gateway
 * (api/temporal-ui.ts), calls the gateway's own `/codec`, so the browser sends the cookie with no
 * setting in the UI. It decodes with the API's own Temporal data converter. Payloads and keys
 * are never logged. There is no `/encode`: whoever could encode could hand a case an Update in an
 * agency's name.
 */
import express from 'express';
import type { Client } from '@temporalio/client';
import { type Payload, ValueError } from '@temporalio/common';
import { JSONToPayload, payloadToJSON } from '@temporalio/common/lib/proto-utils.js';
import { z } from 'zod';
import type { Pool } from '../../db/pool.js';
import { appendAccess } from '../../audit/access-log.js';
import { WORKFLOW_ID_METADATA } from '../../encryption/payload-codec.js';
import { ACCESS_MATRIX, permit } from '../access.js';
import { requestIdOf } from '../request-id.js';
import type { AuthFailureLimiter } from '../auth-failures.js';
import { actorOf, apiKeyCredential, authenticate, personOf } from '../auth.js';
import { requireSecondFactor } from '../second-factor.js';
import type { SessionSettings } from '../sessions.js';
import { badRequest, parseOr400 } from '../problem.js';

const codecBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).nullish(), data: z.string().nullish() })),
});

export function codecRoutes(pool: Pool, temporal: Client, failures: AuthFailureLimiter, sessions: SessionSettings): express.Router {
  const codecs = temporal.options.loadedDataConverter.payloadCodecs;
  const router = express.Router();
  // Decoded payloads are personal data: no cache keeps them.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  // Authenticated before the body is read: strangers cannot make us parse 4 MB.
  const supervisor = authenticate(
    failures,
    (req) => apiKeyCredential(pool, req.get('authorization')),
    'Send a supervisor API key as `Authorization: Bearer <key>`, or sign in as a supervisor (POST /v1/session)',
    { pool, settings: sessions, postsOnlyRead: true },
  );
  const json = express.json({ limit: '4mb', strict: true });

  router.post('/decode', supervisor, requireSecondFactor, permit('payloads.decode'), json, async (req, res) => {
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
        userId: personOf(res)?.userId ?? null,
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
