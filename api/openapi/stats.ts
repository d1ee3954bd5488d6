/** The documented statistics route. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { Stats, StatsQuery } from '../schemas/stats.js';
import { ok, route } from './common.js';

export const statsRoutes: RouteConfig[] = [
  route('stats.read', {
    summary: 'Time per stage, SLA breach rate per stage, owning role and region, and paused time, by month',
    request: { query: StatsQuery },
    responses: ok('Aggregates by month of entering the stage', Stats),
  }),
];
