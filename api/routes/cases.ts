/** `/v1/cases`: intake, one case, the case list, and the steps agencies post. */
import { Router, type Request } from 'express';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import type { Pool } from '../../db/pool.js';
import { type Actor, REGIONAL_ROLES } from '../../domain/case.js';
import type { CaseView } from '../../domain/case-view.js';
import {
  type StepRequest, closeCase, recordAddress, recordAdmission, recordDeparture, recordFollowUp, recordHandover,
  recordIdentification,
} from '../../workflows/messages.js';
import { type CaseAction, ROLES_FOR, canSeeCase, requireRole, requireScope } from '../access.js';
import { actorOf } from '../auth.js';
import { fetchCase, openCaseWorkflow, postStep } from '../case-workflows.js';
import { claimIntake, confirmOpened } from '../intake-store.js';
import { badRequest, forbidden, notFound, parseOr400 } from '../problem.js';
import { requestHash } from '../request-hash.js';
import {
  AddressBody, AdmissionBody, CaseListQuery, CloseBody, DepartureBody, FollowUpBody, HandoverBody, IdentificationBody,
  IntakeBody,
} from '../schemas.js';

const CASE_NUMBER = /^\d{4}-\d{4}-\d{6}$/;
const PAGE_SIZE = 50;

export function caseRoutes(pool: Pool, temporal: Client, taskQueue: string): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const actor = actorOf(res);
    requireRole(actor, ROLES_FOR.intake, 'report an intake');
    const idempotencyKey = idempotencyKeyOf(req, true)!;
    const report = parseOr400(IntakeBody, req.body, 'body');
    if (REGIONAL_ROLES.includes(actor.role) && actor.regionCode !== report.foundRegion) {
      throw forbidden(`Your agency reports intakes for ${actor.regionCode} only`);
    }
    const hash = requestHash('intake', actor.agencyId, report);
    const { caseNumber } = await claimIntake(pool, {
      idempotencyKey, requestHash: hash, agencyId: actor.agencyId, foundRegion: report.foundRegion,
    });
    const view = await openCaseWorkflow(temporal, taskQueue, { caseNumber, report, reportedBy: actor, requestHash: hash }, idempotencyKey);
    const opened = await confirmOpened(pool, idempotencyKey);
    res.status(opened ? 201 : 200).location(`/v1/cases/${caseNumber}`).json(view);
  });

  router.get('/', async (req, res) => {
    const actor = actorOf(res);
    const query = parseOr400(CaseListQuery, req.query, 'query');
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.stage) where.push(`stage = ${param(query.stage)}`);
    if (query.region) where.push(`(found_region = ${param(query.region)} OR home_region = $${params.length})`);
    if (query.breached !== undefined) where.push(`sla_breached = ${param(query.breached)}`);
    if (query.ppksType) where.push(`ppks_type = ${param(query.ppksType)}`);
    if (REGIONAL_ROLES.includes(actor.role)) where.push(`(found_region = ${param(actor.regionCode)} OR home_region = $${params.length})`);
    if (actor.role === 'upt') where.push(`upt_code = ${param(actor.uptCode)}`);
    const { rows } = await pool.query<{ view: CaseView }>(
      `SELECT view FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY opened_at DESC, case_number DESC LIMIT ${PAGE_SIZE + 1} OFFSET ${(query.page - 1) * PAGE_SIZE}`,
      params,
    );
    res.json({ items: rows.slice(0, PAGE_SIZE).map((row) => row.view), nextPage: rows.length > PAGE_SIZE ? query.page + 1 : null });
  });

  router.get('/:caseNumber', async (req, res) => {
    const view = await caseInScope(temporal, req.params.caseNumber, actorOf(res));
    res.json(view);
  });

  const step = <Input>(
    path: string,
    action: CaseAction,
    schema: z.ZodType<Input>,
    update: UpdateDefinition<CaseView, [StepRequest<Input>]>,
  ) =>
    router.post(`/:caseNumber/${path}`, async (req, res) => {
      const actor = actorOf(res);
      requireRole(actor, ROLES_FOR[action], `post ${path}`);
      const input = parseOr400(schema, req.body ?? {}, 'body');
      const idempotencyKey = idempotencyKeyOf(req, false);
      const caseNumber = req.params.caseNumber!;
      const current = await caseInScope(temporal, caseNumber, actor);
      requireScope(action, actor, current);
      const { view, stillProcessing } = await postStep(temporal, {
        caseNumber, update, input, actor, idempotencyKey, requestHash: requestHash(action, caseNumber, input),
      }, current);
      res.status(stillProcessing ? 202 : 200).json(view);
    });

  step('identification', 'identification', IdentificationBody, recordIdentification);
  step('address', 'address', AddressBody, recordAddress);
  step('repatriation/departure', 'departure', DepartureBody, recordDeparture);
  step('repatriation/handover', 'handover', HandoverBody, recordHandover);
  step('placement/admission', 'admission', AdmissionBody, recordAdmission);
  step('follow-ups', 'follow_up', FollowUpBody, recordFollowUp);
  step('close', 'close', CloseBody, closeCase);

  return router;
}

async function caseInScope(temporal: Client, caseNumber: string | undefined, actor: Actor): Promise<CaseView> {
  if (!caseNumber || !CASE_NUMBER.test(caseNumber)) throw notFound('No such case: case numbers look like 3578-2026-000001');
  const view = await fetchCase(temporal, caseNumber);
  if (!canSeeCase(actor, view)) throw forbidden('This case is outside the scope of your agency');
  return view;
}

function idempotencyKeyOf(req: Request, required: boolean): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined || key === '') {
    if (required) throw badRequest('Intake needs an Idempotency-Key header', [{ path: 'header.Idempotency-Key', message: 'required' }]);
    return undefined;
  }
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw badRequest('The Idempotency-Key header is not valid', [{ path: 'header.Idempotency-Key', message: '1-200 visible ASCII characters' }]);
  }
  return key;
}
