/** The documented alert routes: the inbox, acknowledging, snoozing. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../../domain/schemas.js';
import { Alert, AlertAckBody, AlertListQuery, AlertSnoozeBody } from '../schemas/alerts.js';
import { json, ok, paged, problem, route } from './common.js';

export const alertRoutes: RouteConfig[] = [
  route('alert.list', {
    summary: 'Escalation inbox of your agency, newest first, a page at a time',
    request: { query: AlertListQuery },
    responses: paged('A page of alerts', Alert),
    scopeFilters: true,
  }),
  route('alert.ack', {
    summary: 'Acknowledge an alert',
    request: { params: z.object({ id: z.string() }), body: json(AlertAckBody) },
    responses: ok('The acknowledged alert', Alert, { 404: problem('No such alert for your agency') }),
  }),
  route('alert.snooze', {
    summary: 'Snooze an open alert (at most twice, a day at most each): it leaves the open inbox until then',
    request: { params: z.object({ id: z.string() }), body: json(AlertSnoozeBody) },
    responses: ok('The snoozed alert', Alert, {
      404: problem('No such alert for your agency'),
      409: problem('Acknowledged, or snoozed too often'),
    }),
  }),
];
