/** The documented calendar routes: holidays and working hours. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../../domain/schemas.js';
import {
  Holiday,
  HolidayBody,
  HolidayDateParam,
  HolidayListQuery,
  WorkingHours,
  WorkingHoursBody,
  WorkingHoursRoleParam,
} from '../schemas/calendars.js';
import { errors, items, json, ok, problem, route } from './common.js';

export const calendarRoutes: RouteConfig[] = [
  route('holiday.list', {
    summary: 'National holidays and cuti bersama, which SLAs in working days skip',
    request: { query: HolidayListQuery },
    responses: ok('Holidays in date order', items(Holiday)),
  }),
  route('holiday.change', {
    summary: 'Add or replace a holiday; applies to SLA clocks started afterwards',
    request: { params: z.object({ date: HolidayDateParam }), body: json(HolidayBody) },
    responses: ok('The holiday as stored', Holiday),
  }),
  route('holiday.remove', {
    summary: 'Remove a holiday (it stays removed across restarts)',
    request: { params: z.object({ date: HolidayDateParam }) },
    responses: { 204: { description: 'Removed' }, ...errors, 404: problem('No holiday on that date') },
  }),
  route('working_hours.list', {
    summary: 'Working hours per role, for SLAs in working days (Satpol PP round the clock)',
    responses: ok('Working hours', items(WorkingHours)),
  }),
  route('working_hours.change', {
    summary: "Change a role's working hours; applies to SLA clocks started afterwards",
    request: { params: z.object({ role: WorkingHoursRoleParam }), body: json(WorkingHoursBody) },
    responses: ok('The working hours as stored', WorkingHours),
  }),
];
