/** Moves a running SLA clock after a supervisor's override, in the calendar of its step's policy. */
import type { Pool } from '../../db/pool.js';
import type { Calendar, Role } from '../../domain/case.js';
import type { SlaPlan } from '../../domain/sla.js';
import { shiftPlan, type SlaShift } from '../../domain/sla-shift.js';
import { loadWorkingCalendar } from './calendars.js';

export interface SlaShiftRequest {
  plan: SlaPlan;
  /** Rungs whose alerts have been raised: they do not move. */
  firedRungs: number;
  /** The step's owner, whose working hours a working-days clock counts. */
  ownerRole: Role;
  shifts: SlaShift[];
}

export function slaShiftActivities(pool: Pool) {
  return {
    async shiftSlaPlan({ plan, firedRungs, ownerRole, shifts }: SlaShiftRequest): Promise<SlaPlan> {
      const [policy, workingCalendar] = await Promise.all([
        pool.query<{ calendar: Calendar }>('SELECT calendar FROM sla_policies WHERE step = $1', [plan.step]),
        loadWorkingCalendar(pool, ownerRole),
      ]);
      const calendar = policy.rows[0]?.calendar ?? 'continuous';
      return shifts.reduce((moved, shift) => shiftPlan(moved, firedRungs, shift, calendar, workingCalendar), plan);
    },
  };
}
