/** `/v1/webhooks`: registering a webhook, and webhooks and their deliveries as answered (never a secret). */
import { instant, z } from '../../domain/schemas.js';

export const WebhookBody = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2000),
    secret: z.string().min(16).max(200).openapi({ description: 'Signs every delivery (HMAC-SHA256); never returned by any endpoint' }),
  })
  .openapi('WebhookRegistration');

export const Webhook = z
  .object({ id: z.string(), url: z.string(), createdAt: instant, createdBy: z.string() })
  .openapi('Webhook', { description: 'A registered webhook; its secret is never returned' });

export const WebhookListItem = Webhook.extend({
  disabledAt: instant.nullable(),
  deliveries: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }),
}).openapi('WebhookListItem');

export const WebhookDelivery = z
  .object({
    alertId: z.string(),
    caseNumber: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z
      .string()
      .nullable()
      .openapi({ description: 'A short reason (`HTTP 500`, `ECONNREFUSED`, `webhook disabled`), never a response body' }),
    lastAttemptAt: instant.nullable(),
    deliveredAt: instant.nullable(),
  })
  .openapi('WebhookDelivery');
