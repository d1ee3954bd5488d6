/**
 * The keys of request hashes (`PPKS_HASH_KEYS`, `keyId:base64-key,…`, and the current one,
 * `PPKS_HASH_KEY_ID`). A request hash stands in Temporal Update IDs and in the audit trail, which
 * payload encryption does not cover; keyed, it cannot be brute-forced back to the NIK or body it
 * stands for. Old keys stay listed after a rotation so that a retry of an earlier request is still
 * recognised as the same request.
 */
import { randomBytes } from 'node:crypto';
import { config } from '../config.js';
import { configuredSecret } from './dev-secret.js';
import { parseKeyring, type PayloadKeyring } from './keys.js';

export type HashKeyring = PayloadKeyring;

export const parseHashKeys = (list: string, currentKeyId?: string): HashKeyring => parseKeyring(list, currentKeyId, 'PPKS_HASH_KEYS');

/** The configured keys; locally, without configuration, a dev key generated once into `<dataDir>/hash-keys`. */
export function loadHashKeyring(): HashKeyring {
  const keys = configuredSecret({
    value: config.hashKeys,
    variable: 'PPKS_HASH_KEYS',
    why: 'request hashes must be keyed in production. Set it to keyId:base64-key, the key from `openssl rand -base64 32`.',
    devFile: 'hash-keys',
    generate: () => `dev-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`,
  });
  return parseHashKeys(keys.trim(), config.hashKeyId);
}
