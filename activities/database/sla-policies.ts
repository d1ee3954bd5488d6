/** Reads the SLA policy in force when a clock starts and turns it into due times. */
import type { Pool } from '../../db/pool.js';
import type { Role, SlaStep } from '../../domain/case.js';
import { planSla, type SlaPlan, type SlaPolicy } from '../../domain/sla.js';
import { loadWorkingCalendar } from './calendars.js';

export interface SlaClockRequest {
  step: SlaStep;
  stageEnteredAt: string;
  caseOpenedAt: string;
  /** The role owning the step, whose working hours a `working_days` SLA counts (office hours when absent). */
  ownerRole?: Role;
  /** The case's PPKS type: its override of the step's policy applies when there is one. */
  ppksType?: string;
}

export interface SlaReplanRequest {
  step: SlaStep;
  ppksType?: string;
  ownerRole?: Role;
  /** When the running clock started: the new plan counts from it, not from now. */
  clockStartedAt: string;
  caseOpenedAt: string;
}

/** The step's override for the PPKS type when there is one, else the step's default. */
async function loadSlaPolicy(pool: Pool, step: SlaStep, ppksType: string | undefined): Promise<SlaPolicy> {
  const { rows } = await pool.query<SlaPolicy>(
    `SELECT step, ppks_type AS "ppksType", duration, calendar, anchor, escalation, version FROM sla_policies
     WHERE step = $1 AND (ppks_type IS NULL OR ppks_type = $2) ORDER BY ppks_type NULLS LAST LIMIT 1`,
    [step, ppksType ?? null],
  );
  if (!rows[0]) throw new Error(`no SLA policy for step ${step}`);
  return rows[0];
}

export function slaPolicyActivities(pool: Pool) {
  const planSlaClock = async (request: SlaClockRequest): Promise<SlaPlan> => {
    const [policy, calendar] = await Promise.all([
      loadSlaPolicy(pool, request.step, request.ppksType),
      loadWorkingCalendar(pool, request.ownerRole),
    ]);
    return planSla(policy, request, calendar);
  };
  return {
    planSlaClock,
    /** A running clock under the policy in force now (after a policy change), still counted from its start. */
    replanSlaClock: ({ clockStartedAt, ...request }: SlaReplanRequest): Promise<SlaPlan> =>
      planSlaClock({ ...request, stageEnteredAt: clockStartedAt }),
  };
}
