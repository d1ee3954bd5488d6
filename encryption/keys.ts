/**
 * The keys of Temporal payload encryption: `PPKS_PAYLOAD_KEYS` (`keyId:base64-key,…`) and the
 * current key, `PPKS_PAYLOAD_KEY_ID`. Old keys stay in the list so that histories written
 * before a rotation still decode. Error messages name key IDs and positions, never key bytes.
 */
import { randomBytes } from 'node:crypto';
import { config } from '../config.js';
import { devSecret } from './dev-secret.js';

export interface PayloadKeyring {
  /** The key new payloads are encrypted with. */
  currentKeyId: string;
  /** Every key a stored payload may name, current one included. */
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export const isKeyId = (id: string) => KEY_ID.test(id);

export function parsePayloadKeys(list: string, currentKeyId?: string): PayloadKeyring {
  return parseKeyring(list, currentKeyId, 'PPKS_PAYLOAD_KEYS');
}

/** A list of `keyId:base64-key` (32-byte keys) named by `variable`, and its current key ID (`…_KEY_ID`). */
export function parseKeyring(list: string, currentKeyId: string | undefined, variable: string): PayloadKeyring {
  const keys = new Map<string, Buffer>();
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  entries.forEach((entry, index) => {
    const where = `${variable} entry ${index + 1}`;
    const colon = entry.indexOf(':');
    const id = entry.slice(0, Math.max(colon, 0));
    if (!isKeyId(id)) throw new Error(`${where} must be keyId:base64-key, the key ID 1-64 letters, digits, _ or -`);
    const encoded = entry.slice(colon + 1);
    const key = Buffer.from(encoded, 'base64');
    // Buffer.from skips characters that are not base64; the round trip refuses them.
    if (!BASE64.test(encoded) || key.toString('base64') !== encoded || key.length !== 32) {
      throw new Error(`${where} (key ID ${id}): the key must be 32 bytes in base64, e.g. from \`openssl rand -base64 32\``);
    }
    if (keys.has(id)) throw new Error(`${where}: key ID ${id} is listed twice`);
    keys.set(id, key);
  });
  const [first] = keys.keys();
  if (first === undefined) throw new Error(`${variable} lists no key`);
  const current = currentKeyId ?? first;
  // Not echoed: a misplaced key in PPKS_PAYLOAD_KEY_ID must not reach the logs.
  if (!keys.has(current)) throw new Error(`${variable.replace(/S$/, '_ID')} names no key of ${variable}`);
  return { currentKeyId: current, keys };
}

/** The configured keys; locally, without configuration, a dev key generated once. */
export function loadPayloadKeyring(): PayloadKeyring {
  if (config.payloadKeys) return parsePayloadKeys(config.payloadKeys, config.payloadKeyId);
  if (config.production) {
    throw new Error(
      'PPKS_PAYLOAD_KEYS is not set: Temporal payloads must be encrypted in production. ' +
        'Set it to keyId:base64-key, the key from `openssl rand -base64 32`.',
    );
  }
  return parsePayloadKeys(devPayloadKeys(config.dataDir), config.payloadKeyId);
}

/**
 * `<dataDir>/payload-keys.json` (mode 600), created at most once even when the worker and the
 * API start together: each writes a draft and links it into place, and the loser reads the
 * winner's. Deleting the file makes the dev server's existing histories unreadable.
 */
export function devPayloadKeys(dataDir: string): string {
  // A random ID: a regenerated key is reported as unknown, not as a failed decryption.
  const generate = () =>
    `${JSON.stringify({ PPKS_PAYLOAD_KEYS: `dev-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}` }, null, 2)}\n`;
  return (JSON.parse(devSecret(dataDir, 'payload-keys.json', generate)) as { PPKS_PAYLOAD_KEYS: string }).PPKS_PAYLOAD_KEYS;
}
