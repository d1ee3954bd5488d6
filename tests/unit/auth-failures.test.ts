/** The failed-authentication limiter on its own: the block lasts for the rest of the window, then lifts. */
import { describe, expect, it } from 'vitest';
import { authFailureLimiter } from '../../api/auth-failures.js';

describe('authFailureLimiter', () => {
  it('blocks a client once it reaches its limit, until the window ends', async () => {
    const limiter = authFailureLimiter({ perClient: 2, perKey: 5, windowSeconds: 1 });
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
    const limiter = authFailureLimiter({ perClient: 10, perKey: 2, windowSeconds: 60 });
    await limiter.recordFailure('198.51.100.1', 'hash-a');
    await limiter.recordFailure('198.51.100.2', 'hash-a');
    expect(await limiter.blockedForMs('198.51.100.3', 'hash-a')).toBeGreaterThan(59_000);
    expect(await limiter.blockedForMs('198.51.100.3', 'hash-b')).toBe(0);
  });

  it('refuses limits that are not positive', () => {
    expect(() => authFailureLimiter({ perClient: 0, perKey: 1, windowSeconds: 1 })).toThrow('perClient');
    expect(() => authFailureLimiter({ perClient: 1, perKey: 1, windowSeconds: Number.NaN })).toThrow('windowSeconds');
  });
});
