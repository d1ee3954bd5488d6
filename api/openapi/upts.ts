/** The documented UPT registry routes. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../../domain/schemas.js';
import { Upt, UptBody, UptChangeResult, UptCodeParam } from '../schemas/upts.js';
import { errors, json, problem, route } from './common.js';

export const uptRoutes: RouteConfig[] = [
  route('upt.list', {
    summary: 'The UPT registry: what each UPT serves, beds per sex and age group, occupied, reserved and waiting',
    responses: { 200: { description: 'UPTs', ...json(z.object({ items: z.array(Upt) })) }, ...errors },
  }),
  route('upt.change', {
    summary: "Replace a UPT's PPKS types, needs and beds per class (and optionally its name and region)",
    description:
      'Audited. Fewer beds than people already in a class is allowed and reported in `overCapacity`. The seed no longer refreshes an edited UPT.',
    request: { params: z.object({ code: UptCodeParam }), body: json(UptBody) },
    responses: { 200: { description: 'The UPT as now registered', ...json(UptChangeResult) }, ...errors, 404: problem('No such UPT') },
  }),
];
