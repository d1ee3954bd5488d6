/**
 * Webhook secrets at rest: each is sealed with the payload keyring by the same codec as Temporal
 * payloads (encryption/payload-codec.ts: AES-256-GCM, the key ID in the payload's metadata beside
 * the ciphertext), so no new cryptography is written here. The secret travels as the data of a
 * Payload whose metadata names the webhook; the whole Payload is encrypted, so a sealed secret
 * copied onto another webhook's row does not open there.
 *
 * Stored in `webhooks.secret_ciphertext` (the encrypted Payload, protobuf) and
 * `webhooks.secret_key_id` (its key ID, so that a rotation can tell which rows still need an old key).
 */
import type { Payload } from '@temporalio/common';
// The default export: @temporalio/proto is CommonJS, without named exports for Node's ESM loader.
import proto from '@temporalio/proto';
import type { PayloadKeyring } from './keys.js';
import { EncryptionCodec } from './payload-codec.js';

const ProtoPayload = proto.temporal.api.common.v1.Payload;
const WEBHOOK_ID_METADATA = 'webhook-id';

export interface SealedSecret {
  ciphertext: Buffer;
  keyId: string;
}

export class WebhookSecrets {
  private readonly codec: EncryptionCodec;

  constructor(private readonly keyring: PayloadKeyring) {
    // Refusing plaintext: a row whose "ciphertext" is a plain Payload never opens.
    this.codec = new EncryptionCodec(keyring, true);
  }

  /** The key new secrets are sealed with: a secret under another one is sealed again when next read. */
  get currentKeyId(): string {
    return this.keyring.currentKeyId;
  }

  async seal(webhookId: string, secret: string): Promise<SealedSecret> {
    const payload: Payload = {
      metadata: { encoding: utf8('binary/plain'), [WEBHOOK_ID_METADATA]: utf8(webhookId) },
      data: utf8(secret),
    };
    const [sealed] = await this.codec.encode([payload]);
    return { ciphertext: Buffer.from(ProtoPayload.encode(sealed!).finish()), keyId: this.keyring.currentKeyId };
  }

  /** The secret; throws (naming the webhook and at most a key ID) when it cannot be opened. */
  async open(webhookId: string, ciphertext: Uint8Array): Promise<string> {
    const [payload] = await this.codec.decode([ProtoPayload.decode(ciphertext)]);
    const owner = payload?.metadata?.[WEBHOOK_ID_METADATA];
    if (!owner || Buffer.from(owner).toString('utf8') !== webhookId) {
      throw new Error(`The secret stored for webhook ${webhookId} was sealed for another webhook`);
    }
    return Buffer.from(payload.data ?? []).toString('utf8');
  }
}

const utf8 = (value: string) => Buffer.from(value, 'utf8');
