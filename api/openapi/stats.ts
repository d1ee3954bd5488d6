/** The documented statistics route. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { Stats, StatsQuery } from '../schemas/stats.js';
import { errors, json, route } from './common.js';

export const statsRoutes: RouteConfig[] = [
  route('stats.read', {
    summary: 'Time per stage, SLA breach rate per stage, owning role and region, and paused time, by month',
    request: { query: StatsQuery },
    responses: { 200: { description: 'Aggregates by month of entering the stage', ...json(Stats) }, ...errors },
  }),
];
