/** `/v1/holidays` and `/v1/working-hours`: the working-time calendars SLAs in working days count with. */
import { freeText, z } from '../../domain/schemas.js';
import { HOLIDAY_KINDS, WORKING_HOURS_ROLES, WORKING_SCHEDULES } from '../../domain/working-time.js';
import { LAST_CHANGE } from './last-change.js';

export const HolidayDateParam = z.iso.date().openapi({ example: '2026-08-17', description: 'The day, YYYY-MM-DD (Asia/Jakarta)' });
export const HolidayListQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export const HolidayBody = z
  .strictObject({
    name: freeText(200).openapi({ example: 'Proklamasi Kemerdekaan' }),
    kind: z.enum(HOLIDAY_KINDS),
    legalBasis: freeText(500).openapi({ description: "The decree that sets the day, e.g. that year's SKB 3 Menteri" }),
  })
  .openapi('HolidayChange');

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const TimeOfDay = z.string().regex(TIME_OF_DAY, 'must be a time of day HH:MM').openapi({ example: '08:00' });
const OFFICE_FIELDS = ['days', 'opens', 'closes'] as const;
export const WorkingHoursRoleParam = z.enum(WORKING_HOURS_ROLES);
export const WorkingHoursBody = z
  .strictObject({
    schedule: z.enum(WORKING_SCHEDULES),
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .optional()
      .openapi({ description: 'ISO weekdays, 1 = Monday', example: [1, 2, 3, 4, 5] }),
    opens: TimeOfDay.optional(),
    closes: TimeOfDay.optional(),
  })
  .superRefine((body, ctx) => {
    for (const field of OFFICE_FIELDS) {
      if (body.schedule === 'round_the_clock' && body[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'not used with round_the_clock' });
      if (body.schedule === 'office_hours' && body[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'required for office_hours' });
    }
    if (body.days && new Set(body.days).size !== body.days.length)
      ctx.addIssue({ code: 'custom', path: ['days'], message: 'must not repeat a day' });
    // Valid HH:MM times compare as text (a malformed one is reported above); no shifts over midnight.
    const times = [body.opens, body.closes].filter((time) => time !== undefined && TIME_OF_DAY.test(time));
    if (times.length === 2 && times[0]! >= times[1]!) ctx.addIssue({ code: 'custom', path: ['closes'], message: 'must be after opens' });
  })
  .openapi('WorkingHoursChange');

// --- responses (documentation only) -----------------------------------------------------

export const Holiday = z
  .object({
    date: z.string().openapi({ example: '2026-08-17' }),
    name: z.string(),
    kind: z.enum(HOLIDAY_KINDS),
    legalBasis: z.string(),
    ...LAST_CHANGE,
  })
  .openapi('Holiday');

export const WorkingHours = z
  .object({
    role: z.enum(WORKING_HOURS_ROLES),
    schedule: z.enum(WORKING_SCHEDULES),
    days: z.array(z.number().int()).nullable(),
    opens: z.string().nullable(),
    closes: z.string().nullable(),
    ...LAST_CHANGE,
  })
  .openapi('WorkingHours');
