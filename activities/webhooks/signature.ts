/**
 * The signature headers of a delivery. Standard Webhooks (https://www.standardwebhooks.com/),
 * by its reference library: `webhook-id` (the delivery ID, the same on every retry),
 * `webhook-timestamp` (this attempt, Unix seconds) and `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`), the key being the UTF-8 bytes of the
 * registered secret. The timestamp is signed, so a receiver that checks it (the libraries allow
 * 5 minutes) refuses a captured delivery sent again later.
 *
 * `X-PPKS-Signature` (HMAC of the body alone, replayable) is still sent during the transition
 * documented in docs/agencies.md ("Alert delivery to webhooks"), which ends 2027-06-30; then it goes.
 */
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export function signatureHeaders(secret: string, deliveryId: string, at: Date, body: string): Record<string, string> {
  const key = Buffer.from(secret, 'utf8');
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    // Raw key bytes: the library's raw string form would take each character's low byte, not UTF-8.
    'webhook-signature': new Webhook(key, { format: 'raw' }).sign(deliveryId, at, body),
    'X-PPKS-Signature': `sha256=${createHmac('sha256', key).update(body, 'utf8').digest('hex')}`,
  };
}
