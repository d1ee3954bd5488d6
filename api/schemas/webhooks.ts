/** `/v1/webhooks`: registering a webhook, and webhooks and their deliveries as answered (never a secret). */
import { instant, z } from '../../domain/schemas.js';
import { pageQuery } from '../pagination.js';

export const WebhookBody = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
      .max(2000)
      .openapi({
        description:
          'Where alerts are POSTed: https (http is refused in production), without a user name or password, to a public address. ' +
          'Loopback, private, link-local, unique-local, CGNAT and other special addresses, and internal names (no dot, `.internal`, ' +
          '`.local`, `localhost`), are refused unless the operator lists them in WEBHOOK_ALLOWED_DESTINATIONS; a name is resolved ' +
          'and every address it has is checked, here and again at each delivery.',
      }),
    secret: z.string().min(16).max(200).openapi({
      description:
        'Signs every delivery (HMAC-SHA256 of its UTF-8 bytes, Standard Webhooks); stored encrypted, never returned by any endpoint',
    }),
  })
  .openapi('WebhookRegistration');

export const DeliveryListQuery = z.strictObject(pageQuery);

export const Webhook = z
  .object({ id: z.string(), url: z.string(), createdAt: instant, createdBy: z.string() })
  .openapi('Webhook', { description: 'A registered webhook; its secret is never returned, nor a user name or password in its URL' });

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
      .openapi({
        description:
          'A short reason (`HTTP 500`, `ECONNREFUSED`, `webhook disabled`, `host not resolved`), never a response body; ' +
          '`destination refused` when the URL now points where webhooks may not go (nothing is sent, and nothing is said of what answers there)',
      }),
    lastAttemptAt: instant.nullable(),
    deliveredAt: instant.nullable(),
  })
  .openapi('WebhookDelivery');
