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
import { errors, json, problem, route } from './common.js';

export const calendarRoutes: RouteConfig[] = [
  route('holiday.list', {
    summary: 'National holidays and cuti bersama, which SLAs in working days skip',
    request: { query: HolidayListQuery },
    responses: { 200: { description: 'Holidays in date order', ...json(z.object({ items: z.array(Holiday) })) }, ...errors },
  }),
  route('holiday.change', {
    summary: 'Add or replace a holiday; applies to SLA clocks started afterwards',
    request: { params: z.object({ date: HolidayDateParam }), body: json(HolidayBody) },
    responses: { 200: { description: 'The holiday as stored', ...json(Holiday) }, ...errors },
  }),
  route('holiday.remove', {
    summary: 'Remove a holiday (it stays removed across restarts)',
    request: { params: z.object({ date: HolidayDateParam }) },
    responses: { 204: { description: 'Removed' }, ...errors, 404: problem('No holiday on that date') },
  }),
  route('working_hours.list', {
    summary: 'Working hours per role, for SLAs in working days (Satpol PP round the clock)',
    responses: { 200: { description: 'Working hours', ...json(z.object({ items: z.array(WorkingHours) })) }, ...errors },
  }),
  route('working_hours.change', {
    summary: "Change a role's working hours; applies to SLA clocks started afterwards",
    request: { params: z.object({ role: WorkingHoursRoleParam }), body: json(WorkingHoursBody) },
    responses: { 200: { description: 'The working hours as stored', ...json(WorkingHours) }, ...errors },
  }),
];
