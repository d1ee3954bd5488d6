/**
 * A well-behaved agency client: it retries a 503 (or 429) after its Retry-After, re-sends a 202
 * until the step's reaction is there, and retries transport errors and 5xx, always with the same
 * Idempotency-Key and X-Request-Id. Every answer it ever gets is recorded.
 */
import type { LimitFunction } from 'p-limit';

export type Outcome = number | 'timeout' | 'network';

export interface Exchange {
  /** ms since the run started */
  at: number;
  route: string;
  outcome: Outcome;
  /** The Retry-After header, on any status. */
  retryAfter: string | null;
  ms: number;
  /** The X-Request-Id of the logical request (a case's step: `chaos-<run>-c<case>-s<step>`), if any. */
  requestId: string | null;
}

/** Every request the drivers made and what came back. */
export class ExchangeLog {
  readonly exchanges: Exchange[] = [];
  constructor(readonly startedAt: number) {}

  record(exchange: Omit<Exchange, 'at'> & { startedAt: number }): void {
    const { startedAt, ...rest } = exchange;
    this.exchanges.push({ ...rest, at: startedAt - this.startedAt });
  }
}

export interface CallOptions {
  body?: unknown;
  idempotencyKey?: string;
  /** Sent on every attempt: the audit trail keeps it, so an accepted step can be found there. */
  requestId?: string;
}

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever JSON a route answered; each caller reads the fields it expects
  body: any;
  attempts: number;
  /** Every status (or transport failure) this logical request saw, in order. */
  seen: Outcome[];
}

export class GaveUp extends Error {
  constructor(
    readonly route: string,
    readonly seen: Outcome[],
  ) {
    super(`gave up on ${route} after ${seen.length} attempts (${summarize(seen)})`);
  }
}

export interface HttpSettings {
  baseUrl: string;
  limit: LimitFunction;
  log: ExchangeLog;
  /** A logical request is abandoned after retrying this long. */
  giveUpAfterMs: number;
  /** One attempt may take this long before it counts as a timeout and is retried. */
  attemptTimeoutMs: number;
}

export class AgencyClient {
  constructor(
    readonly label: string,
    private readonly apiKey: string,
    private readonly http: HttpSettings,
  ) {}

  get(path: string, options: CallOptions = {}): Promise<Answer> {
    return this.call('GET', path, options);
  }

  post(path: string, body: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<Answer> {
    return this.call('POST', path, { ...options, body });
  }

  put(path: string, body: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<Answer> {
    return this.call('PUT', path, { ...options, body });
  }

  async call(method: string, path: string, options: CallOptions): Promise<Answer> {
    const route = `${method} ${routeOf(path)}`;
    const deadline = Date.now() + this.http.giveUpAfterMs;
    const seen: Outcome[] = [];
    for (;;) {
      // Timed from when the request is sent, not from when it joined the queue of requests in flight.
      const attempt = await this.http.limit(async () => {
        const startedAt = Date.now();
        const answer = await this.once(method, path, options);
        return { ...answer, startedAt, ms: Date.now() - startedAt };
      });
      this.http.log.record({
        startedAt: attempt.startedAt,
        route,
        outcome: attempt.outcome,
        retryAfter: attempt.retryAfter,
        ms: attempt.ms,
        requestId: options.requestId ?? null,
      });
      seen.push(attempt.outcome);
      const status = attempt.outcome;
      if (typeof status === 'number' && (status === 200 || status === 201 || (status >= 400 && status < 500 && status !== 429))) {
        return { status, body: attempt.body, attempts: seen.length, seen };
      }
      if (Date.now() > deadline) throw new GaveUp(route, seen);
      await sleep(retryDelay(status, attempt.retryAfter));
    }
  }

  private async once(method: string, path: string, options: CallOptions) {
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (options.requestId) headers['x-request-id'] = options.requestId;
    try {
      const response = await fetch(`${this.http.baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.http.attemptTimeoutMs),
      });
      const text = await response.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      return { outcome: response.status as Outcome, retryAfter: response.headers.get('retry-after'), body };
    } catch (error) {
      const name = (error as Error).name;
      return {
        outcome: (name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network') as Outcome,
        retryAfter: null,
        body: null,
      };
    }
  }
}

/** Retry-After (plus jitter so that clients do not come back all at once), else a short pause. */
function retryDelay(outcome: Outcome, retryAfter: string | null): number {
  const jitter = Math.random() * 1000;
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
  if ((outcome === 503 || outcome === 429) && seconds !== null) return seconds * 1000 + jitter;
  if (outcome === 202) return 500 + jitter;
  return 2000 + jitter;
}

/** `/v1/cases/3578-2026-000001/identification` -> `/v1/cases/{n}/identification`. */
function routeOf(path: string): string {
  return path
    .split('?')[0]!
    .replace(/\/\d{4}-\d{4}-\d{6}/g, '/{n}')
    .replace(/\/alerts\/\d+/g, '/alerts/{id}')
    .replace(/\/upts\/[a-z0-9_]+/g, '/upts/{code}')
    .replace(
      /\/sla-policies\/[a-z_]+(\/ppks-types\/[a-z_]+)?/g,
      (_m, typed: string | undefined) => `/sla-policies/{step}${typed ? '/ppks-types/{type}' : ''}`,
    );
}

function summarize(seen: Outcome[]): string {
  const counts = new Map<Outcome, number>();
  for (const outcome of seen) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${outcome}x${n}`).join(' ');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
