/** Reads the SLA policy in force when a step starts and turns it into due times. */
import type { Pool } from '../../db/pool.js';
import type { Role, SlaStep } from '../../domain/case.js';
import { planSla, type SlaPlan, type SlaPolicy } from '../../domain/sla.js';
import { loadWorkingCalendar } from './calendars.js';

async function loadSlaPolicy(pool: Pool, step: SlaStep): Promise<SlaPolicy> {
  const { rows } = await pool.query<SlaPolicy>(
    'SELECT step, duration, calendar, anchor, escalation, version FROM sla_policies WHERE step = $1',
    [step],
  );
  if (!rows[0]) throw new Error(`no SLA policy for step ${step}`);
  return rows[0];
}

export function slaPolicyActivities(pool: Pool) {
  return {
    /** `ownerRole`: the role owning the step, whose working hours a `working_days` SLA counts (office hours when absent). */
    async planSlaClock(request: { step: SlaStep; stageEnteredAt: string; caseOpenedAt: string; ownerRole?: Role }): Promise<SlaPlan> {
      const [policy, calendar] = await Promise.all([loadSlaPolicy(pool, request.step), loadWorkingCalendar(pool, request.ownerRole)]);
      return planSla(policy, request, calendar);
    },
  };
}
