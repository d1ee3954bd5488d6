/** The documented webhook routes: registering, listing, disabling, deliveries. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../../domain/schemas.js';
import { DeliveryListQuery, Webhook, WebhookBody, WebhookDelivery, WebhookListItem } from '../schemas/webhooks.js';
import { created, items, json, ok, paged, problem, route } from './common.js';

export const webhookRoutes: RouteConfig[] = [
  route('webhook.register', {
    summary: 'Register a webhook: every new alert is POSTed to it, signed with the secret',
    description:
      'Signed by Standard Webhooks: `webhook-id` (the delivery, as `X-PPKS-Delivery`; at-least-once: deduplicate on it), ' +
      '`webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`, ' +
      'the key being the UTF-8 bytes of the secret; refuse a timestamp more than 5 minutes off. ' +
      'Deprecated, sent until 2027-06-30: `X-PPKS-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, which a captured delivery replays. ' +
      'A URL pointing to an internal address or name, with credentials, or http in production is refused with 400 naming `url`. ' +
      'The secret is never returned.',
    request: { body: json(WebhookBody) },
    responses: created('Registered', Webhook, false),
  }),
  route('webhook.list', {
    summary: 'Registered webhooks with their delivery counts per status',
    responses: ok('Webhooks', items(WebhookListItem)),
  }),
  route('webhook.disable', {
    summary: 'Disable a webhook: nothing more is sent to it, deliveries still due stop',
    request: { params: z.object({ id: z.string() }) },
    responses: { 204: { description: 'Disabled (also when it already was)' }, 404: problem('No such webhook') },
  }),
  route('webhook.deliveries', {
    summary: "A webhook's deliveries, newest alert first, a page at a time",
    request: { params: z.object({ id: z.string() }), query: DeliveryListQuery },
    responses: { ...paged('A page of deliveries', WebhookDelivery), 404: problem('No such webhook') },
  }),
];
