/**
 * The key of the HMAC-SHA256 that stands in for a NIK in the repeat-client register
 * (`PPKS_MATCH_KEY`, 32 bytes in base64). Equal NIKs give equal hashes, so exact matches still
 * work, but without the key a leaked database cannot be turned back into NIKs (there are only
 * ~10^16 NIKs, too few for a plain hash). Changing the key makes earlier hashes unmatchable.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { config } from '../config.js';
import { configuredSecret } from './dev-secret.js';

function parseMatchKey(encoded: string): Buffer {
  const key = Buffer.from(encoded.trim(), 'base64');
  // Never echoed: the message must not put a key into the logs.
  if (key.length !== 32 || key.toString('base64') !== encoded.trim()) {
    throw new Error('PPKS_MATCH_KEY must be 32 bytes in base64, e.g. from `openssl rand -base64 32`');
  }
  return key;
}

/** The configured key; locally, without configuration, one generated once into `<dataDir>/match-key`. */
export function loadMatchKey(): Buffer {
  return parseMatchKey(
    configuredSecret({
      value: config.matchKey,
      variable: 'PPKS_MATCH_KEY',
      why: 'NIKs in the repeat-client register must be keyed in production. Set it from `openssl rand -base64 32`.',
      devFile: 'match-key',
      generate: () => randomBytes(32).toString('base64'),
    }),
  );
}

export const nikHash = (key: Buffer, nik: string) => createHmac('sha256', key).update(nik).digest('hex');
