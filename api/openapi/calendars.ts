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
import { ifMatch, items, json, ok, preconditionFailed, problem, route, versioned } from './common.js';

export const calendarRoutes: RouteConfig[] = [
  route('holiday.list', {
    summary: 'National holidays and cuti bersama, which SLAs in working days skip',
    request: { query: HolidayListQuery },
    responses: ok('Holidays in date order', items(Holiday)),
  }),
  route('holiday.read', {
    summary: 'One holiday, with its ETag',
    request: { params: z.object({ date: HolidayDateParam }) },
    responses: versioned('The holiday', Holiday, { 404: problem('No holiday on that date') }),
  }),
  route('holiday.change', {
    summary: 'Add or replace a holiday; applies to SLA clocks started afterwards',
    description: 'With If-Match, only replaces the holiday at that version (never adds one).',
    request: { params: z.object({ date: HolidayDateParam }), headers: ifMatch, body: json(HolidayBody) },
    responses: versioned('The holiday as stored', Holiday, { 412: preconditionFailed }),
  }),
  route('holiday.remove', {
    summary: 'Remove a holiday (it stays removed across restarts)',
    request: { params: z.object({ date: HolidayDateParam }) },
    responses: { 204: { description: 'Removed' }, 404: problem('No holiday on that date') },
  }),
  route('working_hours.list', {
    summary: 'Working hours per role, for SLAs in working days (Satpol PP round the clock)',
    responses: ok('Working hours', items(WorkingHours)),
  }),
  route('working_hours.read', {
    summary: "One role's working hours, with their ETag",
    request: { params: z.object({ role: WorkingHoursRoleParam }) },
    responses: versioned('The working hours', WorkingHours, { 404: problem('No working hours for that role') }),
  }),
  route('working_hours.change', {
    summary: "Change a role's working hours; applies to SLA clocks started afterwards",
    request: { params: z.object({ role: WorkingHoursRoleParam }), headers: ifMatch, body: json(WorkingHoursBody) },
    responses: versioned('The working hours as stored', WorkingHours, {
      404: problem('No working hours for that role'),
      412: preconditionFailed,
    }),
  }),
];
