/**
 * A keyed hash of what a request asks for: the same action, target and body give the same hash
 * under the same key. It stands in Temporal Update IDs and audit rows, which payload encryption
 * does not cover, so it is an HMAC (`PPKS_HASH_KEYS`): without the key, a hash of an
 * identification cannot be brute-forced back to its NIK. Written `<keyId>.<base64url HMAC>`.
 */
import { createHash, createHmac } from 'node:crypto';
import { type HashKeyring, loadHashKeyring } from '../encryption/request-hash-keys.js';

export interface RequestHash {
  /** Under the current key: for a request seen for the first time. */
  current: string;
  /** Whether a hash stored earlier, under any key still listed, stands for this same request. */
  sameAs(stored: string): boolean;
}

let configured: HashKeyring | undefined;
/** The configured keys, loaded once (the API loads them at start, so production fails fast without them). */
export const hashKeyring = (): HashKeyring => (configured ??= loadHashKeyring());

export function requestHash(action: string, target: string, body: unknown, keyring: HashKeyring = hashKeyring()): RequestHash {
  const text = JSON.stringify([action, target, canonical(body)]);
  const under = (keyId: string, key: Buffer) => `${keyId}.${createHmac('sha256', key).update(text).digest('base64url')}`;
  return {
    current: under(keyring.currentKeyId, keyring.keys.get(keyring.currentKeyId)!),
    sameAs(stored) {
      const dot = stored.indexOf('.');
      // Written before hashes were keyed: a retry of a step accepted then is still the same request.
      if (dot < 0) return stored === createHash('sha256').update(text).digest('hex');
      const key = keyring.keys.get(stored.slice(0, dot));
      return key !== undefined && stored === under(stored.slice(0, dot), key);
    },
  };
}

/** The value with object keys sorted at every level, so equal content serializes equally. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
