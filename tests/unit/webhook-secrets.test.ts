/**
 * Webhook secrets at rest (encryption/webhook-secrets.ts): sealed by the payload codec under the
 * current key, opened under any key still listed, bound to their webhook.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePayloadKeys } from '../../encryption/keys.js';
import { WebhookSecrets } from '../../encryption/webhook-secrets.js';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const secret = 'receiver-secret-9f3c1b7e';

describe('WebhookSecrets', () => {
  const underA = new WebhookSecrets(parsePayloadKeys(`a:${keyA}`));

  it('stores ciphertext only, names its key, and opens again', async () => {
    const sealed = await underA.seal('webhook_1', secret);
    expect(sealed.keyId).toBe('a');
    expect(sealed.ciphertext.includes(Buffer.from(secret))).toBe(false);
    expect(sealed.ciphertext.toString('latin1')).not.toContain(secret.slice(0, 8));
    expect(await underA.open('webhook_1', sealed.ciphertext)).toBe(secret);
    // A fresh IV each time.
    expect((await underA.seal('webhook_1', secret)).ciphertext.equals(sealed.ciphertext)).toBe(false);
  });

  it("does not open on another webhook's row, with an unknown key, or when altered", async () => {
    const sealed = await underA.seal('webhook_1', secret);
    await expect(underA.open('webhook_2', sealed.ciphertext)).rejects.toThrow(/sealed for another webhook/);
    await expect(new WebhookSecrets(parsePayloadKeys(`b:${keyB}`)).open('webhook_1', sealed.ciphertext)).rejects.toThrow(
      /key ID a, which PPKS_PAYLOAD_KEYS does not list/,
    );
    const altered = Buffer.from(sealed.ciphertext);
    altered[altered.length - 1]! ^= 1;
    await expect(underA.open('webhook_1', altered)).rejects.toThrow(/failed authentication/);
  });

  it('opens secrets sealed before a rotation, and seals new ones under the new key', async () => {
    const sealed = await underA.seal('webhook_1', secret);
    const rotated = new WebhookSecrets(parsePayloadKeys(`b:${keyB},a:${keyA}`));
    expect(rotated.currentKeyId).toBe('b');
    expect(await rotated.open('webhook_1', sealed.ciphertext)).toBe(secret);
    expect((await rotated.seal('webhook_1', secret)).keyId).toBe('b');
  });
});
