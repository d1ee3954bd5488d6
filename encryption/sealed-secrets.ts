/**
 * Secrets at rest (webhook signing secrets, people's TOTP secrets): each is sealed with the
 * payload keyring by the same codec as Temporal payloads (encryption/payload-codec.ts:
 * AES-256-GCM, the key ID in the payload's metadata beside the ciphertext), so no new
 * cryptography is written here. The secret travels as the data of a Payload whose metadata names
 * its owner (a webhook, a person); the whole Payload is encrypted, so a sealed secret copied onto
 * another owner's row does not open there.
 *
 * Stored as the encrypted Payload (protobuf, a bytea column) and its key ID (so that a rotation can
 * tell which rows still need an old key).
 */
import type { Payload } from '@temporalio/common';
// The default export: @temporalio/proto is CommonJS, without named exports for Node's ESM loader.
import proto from '@temporalio/proto';
import type { PayloadKeyring } from './keys.js';
import { EncryptionCodec } from './payload-codec.js';

const ProtoPayload = proto.temporal.api.common.v1.Payload;

export interface SealedSecret {
  ciphertext: Buffer;
  keyId: string;
}

/** Whose secrets: the metadata entry naming the owner, and the owner's kind in error messages. */
export interface SecretOwner {
  metadata: string;
  kind: string;
}

export class SealedSecrets {
  private readonly codec: EncryptionCodec;

  constructor(
    private readonly keyring: PayloadKeyring,
    private readonly owner: SecretOwner,
  ) {
    // Refusing plaintext: a row whose "ciphertext" is a plain Payload never opens.
    this.codec = new EncryptionCodec(keyring, true);
  }

  /** The key new secrets are sealed with: a secret under another one is sealed again when next read. */
  get currentKeyId(): string {
    return this.keyring.currentKeyId;
  }

  async seal(ownerId: string, secret: string): Promise<SealedSecret> {
    const payload: Payload = {
      metadata: { encoding: utf8('binary/plain'), [this.owner.metadata]: utf8(ownerId) },
      data: utf8(secret),
    };
    const [sealed] = await this.codec.encode([payload]);
    return { ciphertext: Buffer.from(ProtoPayload.encode(sealed!).finish()), keyId: this.keyring.currentKeyId };
  }

  /** The secret; throws (naming the owner and at most a key ID) when it cannot be opened. */
  async open(ownerId: string, ciphertext: Uint8Array): Promise<string> {
    const [payload] = await this.codec.decode([ProtoPayload.decode(ciphertext)]);
    const sealedFor = payload?.metadata?.[this.owner.metadata];
    if (!sealedFor || Buffer.from(sealedFor).toString('utf8') !== ownerId) {
      const { kind } = this.owner;
      throw new Error(`The secret stored for ${kind} ${ownerId} was sealed for another ${kind}`);
    }
    return Buffer.from(payload.data ?? []).toString('utf8');
  }
}

const utf8 = (value: string) => Buffer.from(value, 'utf8');
