/** The documented UPT registry routes. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../../domain/schemas.js';
import { Upt, UptBody, UptChangeResult, UptCodeParam } from '../schemas/upts.js';
import { ifMatch, items, json, ok, preconditionFailed, problem, route, versioned } from './common.js';

export const uptRoutes: RouteConfig[] = [
  route('upt.list', {
    summary: 'The UPT registry: what each UPT serves, beds per sex and age group, occupied, reserved and waiting',
    responses: ok('UPTs', items(Upt)),
  }),
  route('upt.read', {
    summary: 'One UPT, with the ETag of its registry entry',
    description:
      'The ETag versions the registry entry (what PUT replaces); the bed counts are live and change without it, so it is never answered 304.',
    request: { params: z.object({ code: UptCodeParam }) },
    responses: versioned('The UPT', Upt, { 404: problem('No such UPT') }),
    notModified: false,
  }),
  route('upt.change', {
    summary: "Replace a UPT's PPKS types, needs and beds per class (and optionally its name and region)",
    description:
      'Audited. Fewer beds than people already in a class is allowed and reported in `overCapacity`. The seed no longer refreshes an edited UPT.',
    request: { params: z.object({ code: UptCodeParam }), headers: ifMatch, body: json(UptBody) },
    responses: versioned('The UPT as now registered', UptChangeResult, { 404: problem('No such UPT'), 412: preconditionFailed }),
  }),
];
