/** One access log line per request, for the API and the Temporal UI gateway alike. */
import type express from 'express';
import { pinoHttp } from 'pino-http';
import { logger } from '../logger.js';
import { assignRequestId } from './request-id.js';
import { safePath } from './safe-path.js';

export const requestLog = () =>
  pinoHttp({
    logger,
    genReqId: assignRequestId,
    // Method, path and status only: no headers (API keys, cookies), no query strings or bodies (personal data).
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: safePath(req.url) }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customProps: (_req, res) => ({ agencyId: (res as express.Response).locals?.actor?.agencyId }),
  });
