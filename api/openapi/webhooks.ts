/** The documented webhook routes: registering, listing, disabling, deliveries. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../../domain/schemas.js';
import { Webhook, WebhookBody, WebhookDelivery, WebhookListItem } from '../schemas/webhooks.js';
import { errors, items, json, ok, problem, route } from './common.js';

export const webhookRoutes: RouteConfig[] = [
  route('webhook.register', {
    summary: 'Register a webhook: every new alert is POSTed to it, signed with the secret',
    description:
      'Header `X-PPKS-Signature: sha256=<hex HMAC-SHA256 of the raw body>`; `X-PPKS-Delivery` identifies the delivery (at-least-once: deduplicate on it). The secret is never returned.',
    request: { body: json(WebhookBody) },
    responses: { 201: { description: 'Registered', ...json(Webhook) }, ...errors },
  }),
  route('webhook.list', {
    summary: 'Registered webhooks with their delivery counts per status',
    responses: ok('Webhooks', items(WebhookListItem)),
  }),
  route('webhook.disable', {
    summary: 'Disable a webhook: nothing more is sent to it, deliveries still due stop',
    request: { params: z.object({ id: z.string() }) },
    responses: { 204: { description: 'Disabled (also when it already was)' }, ...errors, 404: problem('No such webhook') },
  }),
  route('webhook.deliveries', {
    summary: "A webhook's most recent deliveries (500), newest alert first",
    request: { params: z.object({ id: z.string() }) },
    responses: ok('Deliveries', items(WebhookDelivery), { 404: problem('No such webhook') }),
  }),
];
