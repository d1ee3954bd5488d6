/**
 * `/v1/sla-policies`: the SLA of each step (its default) and overrides per step and PPKS type.
 * Every change is a new version, stored with the policy in force and its audit entry in one
 * transaction; it applies to clocks started afterwards. Versions count per (step, PPKS type) and
 * are kept for ever: removing an override is a version too, so a case's version never changes meaning.
 */
import { type Request, type Response, Router } from 'express';
import type pg from 'pg';
import { inTransaction, type Pool } from '../../db/pool.js';
import type { Actor } from '../../domain/case.js';
import { auditChange } from '../audit-change.js';
import { permit } from '../access.js';
import { actorOf } from '../auth.js';
import { allowedVersions, ifMatchOf, meets, preconditionFailed, withEtag } from '../etags.js';
import { notFound, parseOr400 } from '../problem.js';
import { PpksType } from '../../domain/schemas.js';
import { SlaPolicyBody, SlaPolicyRemovalBody, SlaPolicyVersionsQuery, SlaStepParam } from '../schemas/sla-policies.js';

/** Times are shown in Asia/Jakarta, like every other time the API returns. */
const jakarta = (column: string) => `to_char(${column} AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"')`;
const POLICY_COLUMNS = `step, ppks_type AS "ppksType", duration, calendar, anchor, escalation, version,
  ${jakarta('updated_at')} AS "updatedAt", updated_by AS "updatedBy"`;
const VERSION_COLUMNS = `step, ppks_type AS "ppksType", version, removed, duration, calendar, anchor, escalation,
  ${jakarta('created_at')} AS "createdAt", created_by AS "createdBy", reason`;

interface PolicyRow {
  step: string;
  ppksType: string | null;
  version: number;
}

export function slaPolicyRoutes(pool: Pool): Router {
  const router = Router();

  router.get('/', permit('sla_policy.list'), async (_req, res) => {
    const { rows } = await pool.query(`SELECT ${POLICY_COLUMNS} FROM sla_policies ORDER BY step, ppks_type NULLS FIRST`);
    res.json({ items: rows });
  });

  router.get('/:step', permit('sla_policy.read'), async (req, res) => {
    const step = parseOr400(SlaStepParam, req.params.step, 'path');
    const policy = await currentPolicy(pool, step, null);
    if (!policy) throw notFound(`No ${step} policy`);
    withEtag(res, policy.version).json(policy);
  });

  router.get('/:step/ppks-types/:ppksType', permit('sla_policy.override_read'), async (req, res) => {
    const step = parseOr400(SlaStepParam, req.params.step, 'path');
    const ppksType = parseOr400(PpksType, req.params.ppksType, 'path');
    const policy = await currentPolicy(pool, step, ppksType);
    if (!policy) throw notFound(`No ${ppksType} override of the ${step} policy`);
    withEtag(res, policy.version).json(policy);
  });

  /** A PUT's body validated, then in one transaction: the policy `write` stores, kept as a version with its reason, and audited. */
  const changePolicy = async (
    req: Request,
    res: Response,
    action: string,
    write: (client: pg.PoolClient, settings: unknown[]) => Promise<PolicyRow>,
  ) => {
    const actor = actorOf(res);
    const change = parseOr400(SlaPolicyBody, req.body, 'body');
    // Duration, calendar, anchor, escalation and who, as both writes take them after the step (and type).
    const settings = [
      change.duration,
      change.calendar,
      change.anchor ?? null,
      change.escalation ? JSON.stringify(change.escalation) : null,
      actor.agencyId,
    ];
    return inTransaction(pool, async (client) => {
      const policy = await write(client, settings);
      await client.query(
        `INSERT INTO sla_policy_versions (step, ppks_type, version, duration, calendar, anchor, escalation, created_at, created_by, reason)
         SELECT step, ppks_type, version, duration, calendar, anchor, escalation, updated_at, updated_by, $3
         FROM sla_policies WHERE step = $1 AND ppks_type IS NOT DISTINCT FROM $2`,
        [policy.step, policy.ppksType, change.reason ?? null],
      );
      await audit(client, req, actor, action, policy, change);
      return policy;
    });
  };

  router.put('/:step', permit('sla_policy.change'), async (req, res) => {
    const step = parseOr400(SlaStepParam, req.params.step, 'path');
    const ifMatch = ifMatchOf(req);
    const policy = await changePolicy(req, res, 'sla_policy.change', async (client, settings) => {
      // Only at a version If-Match names: of two changes sent with the same ETag, the second finds the row moved on.
      const { rows } = await client.query<PolicyRow>(
        `UPDATE sla_policies SET duration = $2, calendar = $3, anchor = coalesce($4, anchor),
           escalation = coalesce($5, escalation), version = version + 1, updated_at = now(), updated_by = $6
         WHERE step = $1 AND ppks_type IS NULL AND ($7::int[] IS NULL OR version = ANY($7::int[])) RETURNING ${POLICY_COLUMNS}`,
        [step, ...settings, allowedVersions(ifMatch)],
      );
      if (!rows[0]) throw preconditionFailed(`The ${step} policy`, (await currentPolicy(client, step, null))?.version);
      return rows[0];
    });
    withEtag(res, policy.version).json(policy);
  });

  router.put('/:step/ppks-types/:ppksType', permit('sla_policy.override_change'), async (req, res) => {
    const step = parseOr400(SlaStepParam, req.params.step, 'path');
    const ppksType = parseOr400(PpksType, req.params.ppksType, 'path');
    const ifMatch = ifMatchOf(req);
    const policy = await changePolicy(req, res, 'sla_policy.override_change', async (client, settings) => {
      await lockStep(client, step);
      // Every change of this step's overrides waits for that lock: checked here, the version cannot move before the write.
      const current = await currentPolicy(client, step, ppksType);
      if (!meets(ifMatch, current?.version)) throw preconditionFailed(`The ${ppksType} override of the ${step} policy`, current?.version);
      // A new override takes what the body leaves out from the step's default; the version
      // continues the count of this (step, type), across earlier removals.
      const { rows } = await client.query<PolicyRow>(
        `INSERT INTO sla_policies (step, ppks_type, duration, calendar, anchor, escalation, version, updated_by)
         SELECT $1, $2, $3, $4, coalesce($5, d.anchor), coalesce($6::jsonb, d.escalation),
           (SELECT coalesce(max(version), 0) + 1 FROM sla_policy_versions WHERE step = $1 AND ppks_type = $2), $7
         FROM sla_policies d WHERE d.step = $1 AND d.ppks_type IS NULL
         ON CONFLICT (step, coalesce(ppks_type, '')) DO UPDATE SET duration = EXCLUDED.duration, calendar = EXCLUDED.calendar,
           anchor = coalesce($5, sla_policies.anchor), escalation = coalesce($6::jsonb, sla_policies.escalation),
           version = EXCLUDED.version, updated_at = now(), updated_by = EXCLUDED.updated_by
         RETURNING ${POLICY_COLUMNS}`,
        [step, ppksType, ...settings],
      );
      return rows[0]!;
    });
    withEtag(res, policy.version).json(policy);
  });

  router.delete('/:step/ppks-types/:ppksType', permit('sla_policy.override_remove'), async (req, res) => {
    const actor = actorOf(res);
    const step = parseOr400(SlaStepParam, req.params.step, 'path');
    const ppksType = parseOr400(PpksType, req.params.ppksType, 'path');
    // The body is optional on a DELETE: without one there is no reason to keep.
    const { reason } = parseOr400(SlaPolicyRemovalBody, req.body ?? {}, 'body');
    await inTransaction(pool, async (client) => {
      await lockStep(client, step);
      const { rows } = await client.query<{ version: number }>(
        'DELETE FROM sla_policies WHERE step = $1 AND ppks_type = $2 RETURNING version',
        [step, ppksType],
      );
      if (!rows[0]) throw notFound(`No ${ppksType} override of the ${step} policy`);
      const removal = { step, ppksType, version: rows[0].version + 1 };
      await client.query(
        `INSERT INTO sla_policy_versions (step, ppks_type, version, removed, created_by, reason) VALUES ($1, $2, $3, true, $4, $5)`,
        [step, ppksType, removal.version, actor.agencyId, reason ?? null],
      );
      await audit(client, req, actor, 'sla_policy.override_remove', removal, { reason });
    });
    res.status(204).end();
  });

  router.get('/:step/versions', permit('sla_policy.versions'), async (req, res) => {
    const step = parseOr400(SlaStepParam, req.params.step, 'path');
    const { ppksType } = parseOr400(SlaPolicyVersionsQuery, req.query, 'query');
    const { rows } = await pool.query(
      `SELECT ${VERSION_COLUMNS} FROM sla_policy_versions WHERE step = $1 AND ppks_type IS NOT DISTINCT FROM $2 ORDER BY version`,
      [step, ppksType ?? null],
    );
    res.json({ items: rows });
  });

  return router;
}

/** The policy in force for a step (its default, or one type's override), as the API shows it. */
async function currentPolicy(db: Pool | pg.PoolClient, step: string, ppksType: string | null): Promise<PolicyRow | undefined> {
  const { rows } = await db.query<PolicyRow>(
    `SELECT ${POLICY_COLUMNS} FROM sla_policies WHERE step = $1 AND ppks_type IS NOT DISTINCT FROM $2`,
    [step, ppksType],
  );
  return rows[0];
}

/** Every change to a step's policies takes its default's row lock: versions are counted without gaps or races. */
async function lockStep(client: pg.PoolClient, step: string): Promise<void> {
  await client.query('SELECT 1 FROM sla_policies WHERE step = $1 AND ppks_type IS NULL FOR UPDATE', [step]);
}

/** The audit entry of a version; the body (with its reason) is kept only as a hash, like every request's. */
async function audit(client: pg.PoolClient, req: Request, actor: Actor, action: string, version: PolicyRow, body: unknown): Promise<void> {
  const target = version.ppksType === null ? version.step : `${version.step}/${version.ppksType}`;
  await auditChange(client, req, actor, {
    entryKey: `sla-policy/${target}/v${version.version}`,
    action,
    target,
    body,
    details: { step: version.step, ppksType: version.ppksType, version: version.version },
  });
}
