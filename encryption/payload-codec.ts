/**
 * AES-256-GCM payload codec: every payload the service hands Temporal (workflow input, Update
 * arguments and results, query results, activity arguments) is stored as ciphertext. The whole
 * original Payload, metadata included, is encrypted; the new metadata says only that it is
 * encrypted, with which key (so keys can rotate) and, when Temporal says, for which workflow: the
 * workflow ID is authenticated with the ciphertext, so a payload cannot be moved to another case.
 * Layout of `data`: IV (12) | ciphertext | tag (16).
 *
 * In production a plaintext payload is refused: only a holder of the keys (the API and the
 * worker) can hand a case an Update, so nobody who merely reaches the Temporal frontend can post
 * a step in an agency's name.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, type SerializationContext, ValueError } from '@temporalio/common';
// The default export: @temporalio/proto is CommonJS, without named exports for Node's ESM loader.
import proto from '@temporalio/proto';
import { isKeyId, type PayloadKeyring } from './keys.js';

const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
/** The workflow a payload belongs to, in clear: authenticated with the ciphertext, and named in the access log when decoded. */
export const WORKFLOW_ID_METADATA = 'encryption-workflow-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = proto.temporal.api.common.v1.Payload;

export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly keyring: PayloadKeyring,
    /** Refuse payloads that are not encrypted (production); else pass them through (histories from before encryption, tests). */
    private readonly refusePlaintext = false,
  ) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload, context?.workflowId));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (isEncrypted(payload)) return this.decrypt(payload);
      if (this.refusePlaintext) throw new ValueError('Plaintext payload refused: every payload of this service is encrypted');
      return payload;
    });
  }

  private encrypt(payload: Payload, workflowId: string | undefined): Payload {
    const { currentKeyId } = this.keyring;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.keys.get(currentKeyId)!, iv);
    if (workflowId) cipher.setAAD(utf8(workflowId));
    const plaintext = ProtoPayload.encode(payload).finish();
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: utf8(currentKeyId),
        ...(workflowId ? { [WORKFLOW_ID_METADATA]: utf8(workflowId) } : {}),
      },
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
    const workflowId = text(payload.metadata?.[WORKFLOW_ID_METADATA]);
    if (workflowId !== undefined) decipher.setAAD(utf8(workflowId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new ValueError(`Payload under key ID ${keyId} failed authentication: another key with that ID, or altered data or workflow`);
    }
    return ProtoPayload.decode(plaintext);
  }
}

function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

const utf8 = (value: string) => Buffer.from(value, 'utf8');
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);
