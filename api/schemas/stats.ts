/** `/v1/stats`: the months asked for, and time per stage, breaches, repatriations and occupancy by month. */
import { STAGES } from '../../domain/case.js';
import { z } from '../../domain/schemas.js';

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
const thisMonth = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
export const StatsQuery = z
  .strictObject({
    from: Month.default(() => `${Number(thisMonth().slice(0, 4)) - 1}${thisMonth().slice(4)}`),
    to: Month.default(thisMonth),
  })
  .refine((query) => query.from <= query.to, { path: ['from'], message: 'must not be after `to`' });

const StageMeasures = {
  month: z.string(),
  stage: z.enum(STAGES),
  stays: z.number().int(),
  completed: z.number().int(),
  avgHours: z.number().nullable(),
  avgActiveHours: z.number().nullable().openapi({ description: 'Average time in the stage without paused time' }),
  pausedHours: z.number().nullable(),
  breached: z.number().int(),
  breachRate: z.number(),
};
export const Stats = z
  .object({
    from: z.string(),
    to: z.string(),
    stages: z.array(z.object(StageMeasures)),
    byOwnerRole: z.array(z.object({ ...StageMeasures, ownerRole: z.string().nullable() })),
    byFoundRegion: z.array(z.object({ ...StageMeasures, foundRegion: z.string() })),
    repatriationsByMonth: z
      .array(z.object({ month: z.string(), repatriations: z.number().int() }))
      .openapi({ description: 'Handovers to the home kab/kota Dinsos, by month of handover (the 2024 baseline is about 160 a month)' }),
    occupancyByMonth: z
      .array(
        z.object({
          month: z.string(),
          uptCode: z.string(),
          admitted: z.number().int(),
          released: z.number().int(),
          occupiedAtMonthEnd: z.number().int(),
        }),
      )
      .openapi({
        description:
          'Per UPT with anyone in a bed that month: admissions, releases of admitted people, and beds occupied at the end of the month',
      }),
  })
  .openapi('Stats');
