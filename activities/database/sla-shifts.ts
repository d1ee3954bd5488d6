/** Moves a running SLA clock after a supervisor's override, in the calendar of the policy it runs under. */
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
        // The calendar of the version the clock runs under. Plans made before versions were kept
        // (no policyPpksType, or a version older than the record) use the step's default in force.
        pool.query<{ calendar: Calendar }>(
          `SELECT calendar FROM (
             SELECT calendar, 0 AS preference FROM sla_policy_versions
             WHERE step = $1 AND ppks_type IS NOT DISTINCT FROM $2 AND version = $3 AND NOT removed
             UNION ALL
             SELECT calendar, 1 FROM sla_policies WHERE step = $1 AND ppks_type IS NULL
           ) AS known ORDER BY preference LIMIT 1`,
          [plan.step, plan.policyPpksType ?? null, plan.policyVersion],
        ),
        loadWorkingCalendar(pool, ownerRole),
      ]);
      const calendar = policy.rows[0]?.calendar ?? 'continuous';
      return shifts.reduce((moved, shift) => shiftPlan(moved, firedRungs, shift, calendar, workingCalendar), plan);
    },
  };
}
