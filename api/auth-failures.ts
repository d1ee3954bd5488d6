/**
 * Rate limit of failed authentication, per client address and per presented key, so that keys
 * cannot be guessed: once either has failed too often in a window it is refused until the
 * window ends, before any key is looked at. Counters live in PostgreSQL (`auth_failures`), so
 * every API process behind a load balancer counts the same failures: N replicas do not give N
 * times the guesses.
 */
import { Duration } from 'luxon';
import { RateLimiterPostgres, type RateLimiterRes } from 'rate-limiter-flexible';
import { config } from '../config.js';
import type { Pool } from '../db/pool.js';

export interface AuthFailureLimits {
  /** Failed attempts one client address may make per window. */
  perClient: number;
  /** Failed attempts with one key, from any client, per window. */
  perKey: number;
  windowSeconds: number;
}

export interface AuthFailureLimiter {
  /** Milliseconds until this client and key may try again; 0 when neither is blocked. */
  blockedForMs(client: string, keyHash: string | null): Promise<number>;
  recordFailure(client: string, keyHash: string | null): Promise<void>;
}

/** AUTH_FAILURES_PER_CLIENT and AUTH_FAILURES_PER_KEY per AUTH_FAILURE_WINDOW. */
export function configuredAuthFailureLimits(): AuthFailureLimits {
  const window = Duration.fromISO(config.authFailureWindow);
  if (!window.isValid) throw new RangeError(`AUTH_FAILURE_WINDOW must be an ISO 8601 duration such as PT15M`);
  return { perClient: config.authFailuresPerClient, perKey: config.authFailuresPerKey, windowSeconds: window.as('seconds') };
}

/**
 * `namespace` separates counters that must not meet: every API process of one deployment uses the
 * same (the default); tests give each service its own.
 */
export function authFailureLimiter(pool: Pool, limits: AuthFailureLimits, namespace = 'api'): AuthFailureLimiter {
  for (const [name, value] of Object.entries(limits)) {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`auth failure limit ${name} must be a positive number`);
  }
  const counter = (kind: string, points: number) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: 'auth_failures',
      tableCreated: true, // by the migration: the service's role creates no tables
      clearExpiredByTimeout: true,
      keyPrefix: `${namespace}/${kind}`,
      points,
      duration: limits.windowSeconds,
    });
  const clients = counter('client', limits.perClient);
  const keys = counter('key', limits.perKey);
  // The window starts at the first failure; reaching the limit blocks for what is left of it.
  const blockedMs = (res: RateLimiterRes | null, limit: number) => (res && res.consumedPoints >= limit ? res.msBeforeNext : 0);
  return {
    async blockedForMs(client, keyHash) {
      const [byClient, byKey] = await Promise.all([clients.get(client), keyHash ? keys.get(keyHash) : null]);
      return Math.max(blockedMs(byClient, limits.perClient), blockedMs(byKey, limits.perKey));
    },
    async recordFailure(client, keyHash) {
      // penalty() counts without rejecting, unlike consume() past the limit.
      await Promise.all([clients.penalty(client), keyHash ? keys.penalty(keyHash) : null]);
    },
  };
}
