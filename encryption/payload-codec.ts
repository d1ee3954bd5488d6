/**
 * AES-256-GCM payload codec: every payload the service hands Temporal (workflow input, Update
 * arguments and results, query results, activity arguments) is stored as ciphertext. The whole
 * original Payload, metadata included, is encrypted; the new metadata says only that it is
 * encrypted and with which key, so keys can rotate. Layout of `data`: IV (12) | ciphertext | tag (16).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
// The default export: @temporalio/proto is CommonJS, without named exports for Node's ESM loader.
import proto from '@temporalio/proto';
import { isKeyId, type PayloadKeyring } from './keys.js';

const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = proto.temporal.api.common.v1.Payload;

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: PayloadKeyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  /** Payloads written before encryption (and the recorded test histories) pass through as they are. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const { currentKeyId } = this.keyring;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.keys.get(currentKeyId)!, iv);
    const plaintext = ProtoPayload.encode(payload).finish();
    return {
      metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(currentKeyId) },
      data: Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]),
    };
  }

  // Errors name the key ID at most: the codec endpoint returns them to its caller.
  private decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId || !isKeyId(keyId)) throw new ValueError('Encrypted payload without a valid encryption-key-id');
    const key = this.keyring.keys.get(keyId);
    if (!key) {
      throw new ValueError(
        `Payload encrypted with key ID ${keyId}, which PPKS_PAYLOAD_KEYS does not list (keep old keys after a rotation)`,
      );
    }
    const data = Buffer.from(payload.data ?? []);
    if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError(`Encrypted payload (key ID ${keyId}) is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new ValueError(`Payload under key ID ${keyId} failed authentication: another key with that ID, or altered data`);
    }
    return ProtoPayload.decode(plaintext);
  }
}

function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

const utf8 = (value: string) => Buffer.from(value, 'utf8');
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);
