/**
 * Request hashes are keyed: without the key, the hash of an identification cannot be recomputed
 * from a guessed NIK. Hashes under an earlier key, and the unkeyed ones written before keys, still
 * recognise a retry of the same request.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonical, requestHash } from '../../api/request-hash.js';
import { parseHashKeys } from '../../encryption/request-hash-keys.js';

const key = () => randomBytes(32).toString('base64');
const oldKey = key();
const newKey = key();
const identification = { outcome: 'matched', nik: '3578015608750002', method: 'fingerprint' };
const unkeyed = (body: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(['identification', '3578-2026-000001', canonical(body)]))
    .digest('hex');

describe('a request hash', () => {
  it('cannot be recomputed without the key', () => {
    const hash = requestHash('identification', '3578-2026-000001', identification, parseHashKeys(`old:${oldKey}`)).current;
    expect(hash).toMatch(/^old\.[\w-]{43}$/);
    expect(hash).not.toContain(unkeyed(identification));
    expect(requestHash('identification', '3578-2026-000001', identification, parseHashKeys(`old:${newKey}`)).current).not.toBe(hash);
  });

  it('recognises the same request under a key still listed after a rotation, and no other request', () => {
    const before = requestHash('identification', '3578-2026-000001', identification, parseHashKeys(`old:${oldKey}`)).current;
    const rotated = parseHashKeys(`new:${newKey},old:${oldKey}`);
    const again = requestHash('identification', '3578-2026-000001', identification, rotated);
    expect(again.current).toMatch(/^new\./);
    expect(again.sameAs(before)).toBe(true);
    expect(requestHash('identification', '3578-2026-000001', { ...identification, nik: '3578015608750003' }, rotated).sameAs(before)).toBe(
      false,
    );
    expect(requestHash('identification', '3578-2026-000002', identification, rotated).sameAs(before)).toBe(false);
    // A key taken out of the list no longer recognises its hashes.
    expect(requestHash('identification', '3578-2026-000001', identification, parseHashKeys(`new:${newKey}`)).sameAs(before)).toBe(false);
  });

  it('recognises a retry of a request hashed before hashes were keyed', () => {
    const keyring = parseHashKeys(`new:${newKey}`);
    expect(requestHash('identification', '3578-2026-000001', identification, keyring).sameAs(unkeyed(identification))).toBe(true);
    expect(requestHash('identification', '3578-2026-000001', { outcome: 'not_matched' }, keyring).sameAs(unkeyed(identification))).toBe(
      false,
    );
  });
});
