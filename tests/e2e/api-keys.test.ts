/**
 * API key lifecycle and the failed-authentication limits, over the real HTTP API and PostgreSQL.
 * `trust proxy` trusts loopback, so each test speaks as its own client through X-Forwarded-For
 * (documentation addresses, 203.0.113.0/24: only header values, no traffic goes there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgency, revokeKeys, rotateKey } from '../../api/agencies.js';
import { hashApiKey } from '../../api/auth.js';
import { agencyClient, startService, type RunningService } from '../support/service.js';

const limits = { perClient: 5, perKey: 3, windowSeconds: 600 };
let service: RunningService;
let clientNumber = 0;

beforeAll(async () => {
  service = await startService({ authFailureLimits: limits, trustProxy: 'loopback' });
});
afterAll(async () => {
  await service?.stop();
});

/** A client address of its own, so that one test's failures never block another's. */
const newClient = () => `203.0.113.${++clientNumber}`;

/** GET /v1/upts (any agency may) with this key, as this client. */
async function upts(key: string | null, client: string) {
  return agencyClient(service.baseUrl, key).raw('GET', '/v1/upts', undefined, { 'x-forwarded-for': client });
}

const newAgency = (name: string, keyExpiresAt?: Date) => addAgency(service.pool, { name, role: 'dinsos_prov', keyExpiresAt });

function expectProblem(response: Awaited<ReturnType<typeof upts>>, status: number) {
  expect(response.status).toBe(status);
  expect(response.contentType).toContain('application/problem+json');
  expect(response.body).toMatchObject({ type: 'about:blank', status });
}

describe('revoked and expired keys', () => {
  it('a revoked key gets 401 on the very next request', async () => {
    const client = newClient();
    const { agencyId, apiKey } = await newAgency('Revoked agency');
    expect((await upts(apiKey, client)).status).toBe(200);
    const { revoked } = await revokeKeys(service.pool, { agencyId });
    expect(revoked).toHaveLength(1);
    const refused = await upts(apiKey, client);
    expectProblem(refused, 401);
    expect(refused.body.detail).toBe('Unknown, revoked or expired API key');
    expect(JSON.stringify(refused.body)).not.toContain(apiKey);
  });

  it('a key works until its expiry and gets 401 after it', async () => {
    const client = newClient();
    const { apiKey } = await newAgency('Expiring agency', new Date(Date.now() + 3_600_000));
    expect((await upts(apiKey, client)).status).toBe(200);
    // The hour passes.
    await service.pool.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE key_hash = $1", [hashApiKey(apiKey)]);
    expectProblem(await upts(apiKey, client), 401);
  });

  it('refuses an expiry in the past when issuing', async () => {
    await expect(newAgency('Already expired', new Date(Date.now() - 1000))).rejects.toThrow('must lie in the future');
  });
});

describe('rotation', () => {
  it('the new key works at once, the old one through the grace period only', async () => {
    const client = newClient();
    const { agencyId, apiKey: oldKey } = await newAgency('Rotating agency');
    const rotated = await rotateKey(service.pool, agencyId);
    expect(rotated.apiKey).not.toBe(oldKey);
    expect((await upts(rotated.apiKey, client)).status).toBe(200);
    expect((await upts(oldKey, client)).status).toBe(200);

    // The default grace is 24 hours from the rotation.
    expect(rotated.previousKeys).toHaveLength(1);
    const graceHours = (Date.parse(rotated.previousKeys[0]!.expiresAt) - Date.now()) / 3_600_000;
    expect(graceHours).toBeGreaterThan(23.9);
    expect(graceHours).toBeLessThanOrEqual(24);

    // The grace period ends.
    await service.pool.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [
      rotated.previousKeys[0]!.keyId,
    ]);
    expectProblem(await upts(oldKey, client), 401);
    expect((await upts(rotated.apiKey, client)).status).toBe(200);
  });

  it('a grace of zero cuts the old key off at once, and the next rotation replaces the new one', async () => {
    const client = newClient();
    const { agencyId, apiKey: firstKey } = await newAgency('Compromised agency');
    const second = await rotateKey(service.pool, agencyId, { graceSeconds: 0 });
    expectProblem(await upts(firstKey, client), 401);
    expect((await upts(second.apiKey, client)).status).toBe(200);
    const third = await rotateKey(service.pool, agencyId, { graceSeconds: 0 });
    // Only the live key was cut off again; the first key's earlier end is not moved.
    expect(third.previousKeys.map((key) => key.keyId)).toEqual([second.keyId]);
    expectProblem(await upts(second.apiKey, client), 401);
    expect((await upts(third.apiKey, client)).status).toBe(200);
  });

  it('names an unknown agency or key', async () => {
    await expect(rotateKey(service.pool, 'agency_nobody')).rejects.toThrow('unknown agency agency_nobody');
    await expect(revokeKeys(service.pool, { keyId: 'key_nothing' })).rejects.toThrow('unknown key key_nothing');
  });
});

describe('failed authentication is rate limited', () => {
  it('per client: after the limit, 429 with Retry-After, even for a valid key from that client', async () => {
    const attacker = newClient();
    const { apiKey } = await newAgency('Agency next to an attacker');
    // Each attempt a different key (so no per-key limit is reached), one with no key at all.
    const attempts = [null, ...Array.from({ length: limits.perClient - 1 }, (_, i) => `ppks_guess-${attacker}-${i}`)];
    for (const guess of attempts) expectProblem(await upts(guess, attacker), 401);

    const blocked = await upts('ppks_one-more-guess', attacker);
    expectProblem(blocked, 429);
    expect(blocked.body.title).toBe('Too Many Requests');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(limits.windowSeconds - 60);
    expect(retryAfter).toBeLessThanOrEqual(limits.windowSeconds);

    // The key is not even looked at while blocked: a valid one learns nothing either.
    expectProblem(await upts(apiKey, attacker), 429);
    // Other clients are not affected.
    expect((await upts(apiKey, newClient())).status).toBe(200);
  });

  it('per key: the same wrong key from different clients gets 429 after the per-key limit', async () => {
    const guess = `ppks_shared-guess-${Date.now()}`;
    for (let i = 0; i < limits.perKey; i++) expectProblem(await upts(guess, newClient()), 401);
    const blocked = await upts(guess, newClient());
    expectProblem(blocked, 429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The new client itself is not blocked: another key from it is checked (and refused) as usual.
    const fresh = newClient();
    expectProblem(await upts(guess, fresh), 429);
    expectProblem(await upts(`${guess}-other`, fresh), 401);
  });

  it('successful authentication does not count', async () => {
    const client = newClient();
    const { apiKey } = await newAgency('Busy agency');
    for (let i = 0; i < limits.perClient * 2; i++) expect((await upts(apiKey, client)).status).toBe(200);
    // Still the whole allowance of failures left: perClient of them are 401, only then 429.
    for (let i = 0; i < limits.perClient; i++) expectProblem(await upts(`ppks_typo-${client}-${i}`, client), 401);
    expectProblem(await upts(apiKey, client), 429);
  });
});
