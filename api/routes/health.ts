/** Liveness and readiness for operators. */
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Pool } from '../../db/pool.js';

export function healthRoutes(pool: Pool, temporal: Client): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, temporalServer] = await Promise.all([
      pool.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      temporal.workflowService.getSystemInfo({}).then(
        () => true,
        () => false,
      ),
    ]);
    const ready = database && temporalServer;
    if (!ready) res.set('Retry-After', '5');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', database, temporal: temporalServer });
  });
  return router;
}
