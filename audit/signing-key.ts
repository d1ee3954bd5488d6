/**
 * The key that signs the logs' heads (`PPKS_AUDIT_SIGNING_KEY`): an Ed25519 private key, PEM or
 * base64 PKCS#8, held by the worker and never by the database, so that whoever owns the tables
 * cannot sign a rewritten chain. Its public key (`npm run audit -- public-key`) is all that
 * verification needs.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { config } from '../config.js';
import { configuredSecret } from '../encryption/dev-secret.js';

const DEV_KEY_FILE = 'audit-signing-key.pem';
const FORMAT = 'an Ed25519 private key, PEM or base64 PKCS#8 (`openssl genpkey -algorithm ed25519`)';

function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.startsWith('-----BEGIN')
      ? createPrivateKey(trimmed)
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    // Never echoed: the message must not put a key into the logs.
    throw new Error(`PPKS_AUDIT_SIGNING_KEY must be ${FORMAT}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`PPKS_AUDIT_SIGNING_KEY must be ${FORMAT}, not ${key.asymmetricKeyType}`);
  return key;
}

/** The configured key; locally, without configuration, one generated once into `<dataDir>/audit-signing-key.pem`. */
export function loadAuditSigningKey(): KeyObject {
  return parseSigningKey(
    configuredSecret({
      value: config.auditSigningKey,
      variable: 'PPKS_AUDIT_SIGNING_KEY',
      why: "the logs' heads must be signed in production. Set it to the output of `openssl genpkey -algorithm ed25519` (see docs/operations.md).",
      devFile: DEV_KEY_FILE,
      generate: () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    }),
  );
}

/** The configured key, or the dev key if one was generated; never generates one. */
export function existingAuditSigningKey(): KeyObject | null {
  if (config.auditSigningKey || config.production || existsSync(path.join(config.dataDir, DEV_KEY_FILE))) return loadAuditSigningKey();
  return null;
}

export const publicKeyPem = (key: KeyObject): string => createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();

/** A public key given as PEM (SPKI) or base64 DER. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 public key: ${key.asymmetricKeyType}`);
  return key;
}

/** Names a key in each signed line: the first 16 hex digits of the SHA-256 of its public key (SPKI). */
export const keyIdOf = (key: KeyObject): string =>
  createHash('sha256')
    .update((key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
