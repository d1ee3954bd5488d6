/** The documented UPT registry routes. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../../domain/schemas.js';
import { Upt, UptBody, UptChangeResult, UptCodeParam } from '../schemas/upts.js';
import { items, json, ok, problem, route } from './common.js';

export const uptRoutes: RouteConfig[] = [
  route('upt.list', {
    summary: 'The UPT registry: what each UPT serves, beds per sex and age group, occupied, reserved and waiting',
    responses: ok('UPTs', items(Upt)),
  }),
  route('upt.change', {
    summary: "Replace a UPT's PPKS types, needs and beds per class (and optionally its name and region)",
    description:
      'Audited. Fewer beds than people already in a class is allowed and reported in `overCapacity`. The seed no longer refreshes an edited UPT.',
    request: { params: z.object({ code: UptCodeParam }), body: json(UptBody) },
    responses: ok('The UPT as now registered', UptChangeResult, { 404: problem('No such UPT') }),
  }),
];
