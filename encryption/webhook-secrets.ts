/**
 * Webhook secrets at rest, sealed for their webhook (encryption/sealed-secrets.ts). Stored in
 * `webhooks.secret_ciphertext` (the encrypted Payload, protobuf) and `webhooks.secret_key_id`.
 */
import type { PayloadKeyring } from './keys.js';
import { SealedSecrets } from './sealed-secrets.js';

export class WebhookSecrets extends SealedSecrets {
  constructor(keyring: PayloadKeyring) {
    super(keyring, { metadata: 'webhook-id', kind: 'webhook' });
  }
}
