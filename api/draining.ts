/**
 * The API's shutdown without cutting requests: once draining, the requests already in flight run
 * to their end, every new one is answered 503 with Retry-After (a client or a load balancer retries
 * elsewhere) and the health endpoints say `draining`; the process closes its server once the last
 * request in flight has ended, or when API_SHUTDOWN_GRACE is over (api/main.ts).
 */
import type { RequestHandler, Response } from 'express';
import { HttpProblem } from './problem.js';

const RETRY_AFTER_SECONDS = '5';

export class Draining {
  private started = false;
  private readonly inFlight = new Set<Response>();
  private onIdle?: () => void;

  /** First in the app: counts what it lets through, and turns everything away once draining. */
  readonly gate: RequestHandler = (req, res, next) => {
    if (!this.started) {
      this.inFlight.add(res);
      res.once('close', () => this.settled(res));
      return next();
    }
    // Liveness: the process is alive and finishing its work, so it must not be restarted now.
    if (req.path === '/healthz') return void res.set('Connection', 'close').json({ status: 'draining' });
    if (req.path === '/readyz') {
      return void res.status(503).set({ 'Retry-After': RETRY_AFTER_SECONDS, Connection: 'close' }).json({ status: 'draining' });
    }
    next(
      new HttpProblem(503, 'Service Unavailable', 'This API process is shutting down; retry shortly', undefined, {
        'Retry-After': RETRY_AFTER_SECONDS,
        // So that a keep-alive client connects anew, to a process that is not leaving.
        Connection: 'close',
      }),
    );
  };

  /** Requests let through and not yet answered. */
  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /** Starts draining; resolves true once no request is in flight, false if some still are after `graceMs`. */
  drain(graceMs: number): Promise<boolean> {
    this.started = true;
    // Answers still to come close their connections too.
    for (const res of this.inFlight) if (!res.headersSent) res.set('Connection', 'close');
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      this.onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
      if (this.inFlight.size === 0) this.onIdle();
    });
  }

  private settled(res: Response): void {
    this.inFlight.delete(res);
    if (this.started && this.inFlight.size === 0) this.onIdle?.();
  }
}
