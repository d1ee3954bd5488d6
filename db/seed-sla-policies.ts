/**
 * The shipped default SLA of each step (domain/sla-defaults.ts) as version 1 of its policy. When a
 * later release ships another default, a database whose policy for that step was never edited by
 * a supervisor (still `updated_by = 'seed'`) takes it as a new version, and the log says so; one
 * a supervisor has set keeps its value, and the log says the shipped default differs. Clocks
 * already running keep their plan until a supervisor applies the policy to them
 * (`POST /v1/sla-policies/{step}/apply`).
 */
import type pg from 'pg';
import { DEFAULT_SLA_POLICIES, type DefaultSlaPolicy } from '../domain/sla-defaults.js';
import { logger } from '../logger.js';

const SEED = 'seed';

interface PolicyRow {
  duration: string;
  calendar: string;
  anchor: string;
  escalation: unknown;
  updated_by: string | null;
}

export async function seedSlaPolicies(
  client: pg.PoolClient,
  defaults: readonly DefaultSlaPolicy[] = Object.values(DEFAULT_SLA_POLICIES),
  log: Pick<typeof logger, 'info' | 'warn'> = logger,
): Promise<void> {
  for (const policy of defaults) {
    const { rows } = await client.query<PolicyRow & { same: boolean }>(
      `SELECT duration, calendar, anchor, escalation, updated_by,
         (duration = $2 AND calendar = $3 AND anchor = $4 AND escalation = $5::jsonb) AS same
       FROM sla_policies WHERE step = $1 AND ppks_type IS NULL FOR UPDATE`,
      [policy.step, policy.duration, policy.calendar, policy.anchor, JSON.stringify(policy.escalation)],
    );
    const current = rows[0];
    if (current?.same) continue;
    if (current && current.updated_by !== SEED) {
      log.warn({ step: policy.step, shipped: settingsOf(policy) }, 'shipped default SLA differs; the policy a supervisor set is kept');
      continue;
    }
    await client.query(
      `WITH seeded AS (
         INSERT INTO sla_policies (step, duration, calendar, anchor, escalation, updated_by)
         VALUES ($1, $2, $3, $4, $5, '${SEED}')
         ON CONFLICT (step, coalesce(ppks_type, '')) DO UPDATE
           SET duration = EXCLUDED.duration, calendar = EXCLUDED.calendar, anchor = EXCLUDED.anchor,
               escalation = EXCLUDED.escalation, version = sla_policies.version + 1, updated_at = now(), updated_by = '${SEED}'
         RETURNING step, duration, calendar, anchor, escalation, version, updated_at, updated_by)
       INSERT INTO sla_policy_versions (step, version, duration, calendar, anchor, escalation, created_at, created_by, reason)
       SELECT step, version, duration, calendar, anchor, escalation, updated_at, updated_by, $6 FROM seeded`,
      [
        policy.step,
        policy.duration,
        policy.calendar,
        policy.anchor,
        JSON.stringify(policy.escalation),
        current ? 'shipped default changed' : null,
      ],
    );
    if (current) log.info({ step: policy.step, from: settingsOf(current), to: settingsOf(policy) }, 'shipped default SLA applied');
  }
}

const settingsOf = (policy: Pick<PolicyRow, 'duration' | 'calendar' | 'anchor' | 'escalation'>) => ({
  duration: policy.duration,
  calendar: policy.calendar,
  anchor: policy.anchor,
  escalation: policy.escalation,
});
