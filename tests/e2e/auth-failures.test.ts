/**
 * The failed-authentication limiter on its own, over PostgreSQL: the block lasts for the rest of
 * the window, then lifts; and two API processes count the same failures. Each test has a
 * namespace of its own, as each service of the suite does.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { authFailureLimiter } from '../../api/auth-failures.js';
import { trustProxySetting } from '../../config.js';
import { createPool } from '../../db/pool.js';

const pool = createPool(inject('databaseUrl'), 2);
afterAll(() => pool.end());

/** A pool of its own, as each API process has. */
const pools: ReturnType<typeof createPool>[] = [];
function createPoolLike() {
  const replicaPool = createPool(inject('databaseUrl'), 1);
  pools.push(replicaPool);
  return replicaPool;
}
afterAll(() => Promise.all(pools.map((replicaPool) => replicaPool.end())));

describe('authFailureLimiter', () => {
  it('blocks a client once it reaches its limit, until the window ends', async () => {
    const limiter = authFailureLimiter(pool, { perClient: 2, perKey: 5, windowSeconds: 1 }, randomUUID());
    await limiter.recordFailure('198.51.100.1', null);
    expect(await limiter.blockedForMs('198.51.100.1', null)).toBe(0);
    await limiter.recordFailure('198.51.100.1', null);
    const blocked = await limiter.blockedForMs('198.51.100.1', null);
    expect(blocked).toBeGreaterThan(0);
    expect(blocked).toBeLessThanOrEqual(1000);
    expect(await limiter.blockedForMs('198.51.100.2', null)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, blocked + 50));
    expect(await limiter.blockedForMs('198.51.100.1', null)).toBe(0);
  });

  it('blocks a key hash from every client once it reaches its limit', async () => {
    const limiter = authFailureLimiter(pool, { perClient: 10, perKey: 2, windowSeconds: 60 }, randomUUID());
    await limiter.recordFailure('198.51.100.1', 'hash-a');
    await limiter.recordFailure('198.51.100.2', 'hash-a');
    expect(await limiter.blockedForMs('198.51.100.3', 'hash-a')).toBeGreaterThan(59_000);
    expect(await limiter.blockedForMs('198.51.100.3', 'hash-b')).toBe(0);
  });

  it('counts the failures of every API process together: three replicas do not give three times the guesses', async () => {
    const deployment = randomUUID();
    const limits = { perClient: 3, perKey: 100, windowSeconds: 60 };
    const replicas = [1, 2, 3].map(() => authFailureLimiter(createPoolLike(), limits, deployment));
    for (const replica of replicas) await replica.recordFailure('198.51.100.9', null);
    for (const replica of replicas) expect(await replica.blockedForMs('198.51.100.9', null)).toBeGreaterThan(0);
    // Another deployment (another namespace) has counted nothing.
    expect(await authFailureLimiter(pool, limits, randomUUID()).blockedForMs('198.51.100.9', null)).toBe(0);
  });

  it('refuses limits that are not positive', () => {
    expect(() => authFailureLimiter(pool, { perClient: 0, perKey: 1, windowSeconds: 1 })).toThrow('perClient');
    expect(() => authFailureLimiter(pool, { perClient: 1, perKey: 1, windowSeconds: Number.NaN })).toThrow('windowSeconds');
  });
});

describe('TRUST_PROXY', () => {
  it('takes a hop count or proxy addresses, and refuses true', () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting('1')).toBe(1);
    expect(trustProxySetting('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
    expect(() => trustProxySetting('true')).toThrow(/X-Forwarded-For the client writes itself/);
  });
});
