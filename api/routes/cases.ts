/** `/v1/cases`: intake, one case, the case list, and the steps agencies post. */
import { Router, type Request } from 'express';
import type { Client } from '@temporalio/client';
import type { Pool } from '../../db/pool.js';
import type { Actor } from '../../domain/case.js';
import type { CaseView } from '../../domain/case-view.js';
import { IntakeReport, z } from '../../domain/schemas.js';
import { STEP_NAMES, STEPS, type StepInput, type StepName } from '../../domain/steps.js';
import { caseWorkflowId, requestHashOf, stepUpdate, stepUpdateId } from '../../workflows/messages.js';
import { countStep, INTAKE_STEP } from '../../observability/api-metrics.js';
import { AUDIT_COLUMNS } from '../../audit/trail.js';
import { type Action, authorize, permit, scopeCondition } from '../access.js';
import { ACCESS_LOG_COLUMNS, recordRead } from '../access-log.js';
import { actorOf, personOf } from '../auth.js';
import { notePerson } from '../step-people.js';
import { answeredThen, fetchCase, openCaseWorkflow, postStep } from '../case-workflows.js';
import { caseLinks } from '../case-links.js';
import { claimIntake, confirmOpened } from '../intake-store.js';
import { badRequest, conflict, HttpProblem, notFound, parseOr400, unavailable } from '../problem.js';
import { type RequestHash, requestHash } from '../request-hash.js';
import { refreshMatches } from '../repeat-clients.js';
import { requestIdOf } from '../request-id.js';
import { stepAgencies } from '../step-agencies.js';
import { CaseListQuery } from '../schemas/cases.js';
import { cursorKey, page } from '../pagination.js';

const CASE_NUMBER = /^\d{4}-\d{4}-\d{6}$/;
/** A step's reaction waits on the database or the registry; by then it has usually moved the case on. */
const REACTION_RETRY_SECONDS = 5;
/** The case list's order (newest first) and its cursor: the opening time, to the microsecond in UTC, and the case number. */
const CASE_LIST_KEY = z.tuple([z.iso.datetime(), z.string().regex(CASE_NUMBER)]);

export function caseRoutes(pool: Pool, temporal: Client, taskQueue: string, matchKey: Buffer): Router {
  const router = Router();

  router.post('/', countStep(INTAKE_STEP), permit('case.intake'), async (req, res) => {
    const actor = actorOf(res);
    const idempotencyKey = idempotencyKeyOf(req, true)!;
    const report = parseOr400(IntakeReport, req.body, 'body');
    authorize(actor, 'case.intake', report);
    const { caseNumber, requestHash: hash } = await claimIntake(pool, {
      idempotencyKey,
      requestHash: requestHash('intake', actor.agencyId, report),
      agencyId: actor.agencyId,
      foundRegion: report.foundRegion,
    });
    const view = await openCaseWorkflow(
      temporal,
      taskQueue,
      { caseNumber, report, reportedBy: actor, requestHash: hash },
      idempotencyKey,
      requestIdOf(req),
      notePerson(pool, personOf(res)?.userId ?? null),
    );
    const opened = await confirmOpened(pool, idempotencyKey);
    await refreshMatches(pool, matchKey, view);
    await recordRead(pool, actor, caseNumber, 'case.intake', requestIdOf(req), personOf(res)?.userId ?? null);
    res
      .status(opened ? 201 : 200)
      .location(`/v1/cases/${caseNumber}`)
      .json(view);
  });

  router.get('/', permit('case.list'), async (req, res) => {
    const actor = actorOf(res);
    const query = parseOr400(CaseListQuery, req.query, 'query');
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = [scopeCondition(actor, 'case.list', { foundRegion: 'found_region', homeRegion: 'home_region', upt: 'upt_code' }, param)];
    if (query.stage) where.push(`stage = ${param(query.stage)}`);
    if (query.region) where.push(`(found_region = ${param(query.region)} OR home_region = $${params.length})`);
    if (query.breached !== undefined) where.push(`sla_breached = ${param(query.breached)}`);
    if (query.ppksType) where.push(`ppks_type = ${param(query.ppksType)}`);
    if (query.status) where.push(`status = ${param(query.status)}`);
    if (query.ownerRole) where.push(`owner_role = ${param(query.ownerRole)}`);
    if (query.page !== undefined && query.cursor !== undefined)
      throw badRequest('The request query is not valid: query.page', [{ path: 'query.page', message: 'not with a cursor: follow `next`' }]);
    const after = cursorKey('cases', query.cursor, CASE_LIST_KEY);
    if (after) where.push(`(opened_at, case_number) < (${param(after[0])}::timestamptz, ${param(after[1])})`);
    // The page number of the contract's first form: an offset, for clients that still send it.
    const offset = ((query.page ?? 1) - 1) * query.limit;
    const { rows } = await pool.query<{ view: CaseView; opened: string; case_number: string }>(
      `SELECT view, to_char(opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS opened, case_number
       FROM cases WHERE ${where.join(' AND ')}
       ORDER BY opened_at DESC, case_number DESC LIMIT ${param(query.limit + 1)} OFFSET ${param(offset)}`,
      params,
    );
    const { items, next } = page(req, res, 'cases', rows, query.limit, (row) => [row.opened, row.case_number]);
    const nextPage = query.cursor === undefined && next !== null ? (query.page ?? 1) + 1 : null;
    res.json({ items: items.map((row) => row.view), nextPage, next });
  });

  router.get('/:caseNumber', permit('case.read'), async (req, res) => {
    const actor = actorOf(res);
    const view = await caseFor(temporal, String(req.params.caseNumber), actor, 'case.read');
    // Repeat clients: only in this full view, for the same readers as the person.
    const links = await caseLinks(pool, view, actor);
    const agencies = await stepAgencies(pool, view);
    await recordRead(pool, actor, view.caseNumber, 'case.read', requestIdOf(req), personOf(res)?.userId ?? null);
    res.json({ ...view, ...links, agencies });
  });

  router.get('/:caseNumber/audit', permit('case.audit'), async (req, res) => {
    const view = await caseFor(temporal, String(req.params.caseNumber), actorOf(res), 'case.audit');
    const { rows } = await pool.query(
      `SELECT ${AUDIT_COLUMNS}, ${namesIn('audit_log')} FROM audit_log WHERE case_number = $1 ORDER BY seq`,
      [view.caseNumber],
    );
    res.json({ items: rows });
  });

  router.get('/:caseNumber/access-log', permit('case.access_log'), async (req, res) => {
    const view = await caseFor(temporal, String(req.params.caseNumber), actorOf(res), 'case.access_log');
    const { rows } = await pool.query(
      `SELECT ${ACCESS_LOG_COLUMNS}, ${namesIn('access_log')} FROM access_log WHERE case_number = $1 ORDER BY access_log.id`,
      [view.caseNumber],
    );
    res.json({ items: rows });
  });

  // A NIK or a home region found changes who this person may be: match again.
  const matchAgain = (view: CaseView) => refreshMatches(pool, matchKey, view);
  /** What the API does once a step is accepted (and again on a replay: it must be idempotent). */
  const afterwards: Partial<Record<StepName, (view: CaseView) => Promise<void>>> = {
    recordIdentification: matchAgain,
    recordAddress: matchAgain,
    transferUpt: async (view) => {
      // Accepted and audited as a request, but the other UPT had no place: the agency must know.
      const last = view.steps.at(-1);
      if (last?.outcome === 'transfer_refused') throw conflict(`Transfer refused: ${last.details?.why}`);
    },
  };

  const step = <N extends StepName>(name: N) => {
    const { action, path, body } = STEPS[name];
    router.post(`/:caseNumber/${path}`, countStep(name), permit(action), async (req, res) => {
      const actor = actorOf(res);
      const input = parseOr400(body, req.body ?? {}, 'body') as StepInput<N>;
      const idempotencyKey = idempotencyKeyOf(req, false);
      const requested = String(req.params.caseNumber);
      const current = await caseFor(temporal, requested, actor, action).catch(async (refused: unknown) => {
        // The replay of a step this agency had accepted: answered, as it was then, even when the case has left its scope since.
        const replayed =
          idempotencyKey && refused instanceof HttpProblem && refused.status === 403
            ? await replayedBy(pool, temporal, requested, idempotencyKey, stepRequestHash(action, requested, input), actor)
            : null;
        if (!replayed) throw refused;
        await recordRead(pool, actor, requested, action, requestIdOf(req), personOf(res)?.userId ?? null);
        res.json(replayed);
        return null;
      });
      if (!current) return;
      const caseNumber = current.caseNumber;
      const { view, stillProcessing } = await postStep(
        temporal,
        {
          caseNumber,
          update: stepUpdate(name),
          input,
          actor,
          idempotencyKey,
          requestHash: stepRequestHash(action, caseNumber, input),
          requestId: requestIdOf(req),
          person: notePerson(pool, personOf(res)?.userId ?? null),
        },
        current,
      );
      await afterwards[name]?.(view);
      await recordRead(pool, actor, caseNumber, action, requestIdOf(req), personOf(res)?.userId ?? null);
      // Accepted, its reaction still running: where to read the outcome, and when to look.
      if (stillProcessing) res.status(202).location(`/v1/cases/${caseNumber}`).set('Retry-After', String(REACTION_RETRY_SECONDS));
      res.json(view);
    });
  };
  for (const name of STEP_NAMES) step(name);

  return router;
}

/**
 * The names of the agency and the person behind a log row, resolved when it is read (the row keeps
 * their IDs, which its hash covers): for the supervisors and auditors who read the trails. The
 * person's is null for an API key or an operator.
 */
const namesIn = (table: 'audit_log' | 'access_log') =>
  `(SELECT name FROM agencies WHERE agencies.id = ${table}.agency_id) AS "agencyName", ` +
  `(SELECT name FROM users WHERE users.id = ${table}.user_id) AS "personName"`;

/** Hashed under the step's short name (`identification`), as before the access matrix, so retries stay idempotent. */
const stepRequestHash = (action: Action, caseNumber: string, input: unknown) =>
  requestHash(action.replace(/^case\./, ''), caseNumber, input);

/** The case, when it exists and the agency's scope covers it for this action. */
async function caseFor(temporal: Client, caseNumber: string, actor: Actor, action: Action): Promise<CaseView> {
  if (!CASE_NUMBER.test(caseNumber)) throw notFound('No such case: case numbers look like 3578-2026-000001');
  const view = await fetchCase(temporal, caseNumber);
  authorize(actor, action, view);
  return view;
}

/**
 * The answer this agency was given, when it posted this very request (same Idempotency-Key and
 * body) and the case accepted it: its scope was checked then. Who posted it is in the step's audit
 * entry, which the step writes before it answers; until then, and while the case has accepted it
 * but not yet answered, the retry is asked to come back (503). The case as it was then, never as
 * it is now: an agency that has lost the case (moved to another UPT, closed) must not read today's
 * person, notes and remarks. Null (so 403) when the answer is no longer in the case's current run.
 */
async function replayedBy(
  pool: Pool,
  temporal: Client,
  caseNumber: string,
  key: string,
  request: RequestHash,
  actor: Actor,
): Promise<CaseView | null> {
  if (!CASE_NUMBER.test(caseNumber)) return null;
  const handle = temporal.workflow.getHandle(caseWorkflowId(caseNumber));
  const hash = await handle.query(requestHashOf, key);
  if (hash === null || !request.sameAs(hash)) return null;
  const { rows } = await pool.query<{ agency_id: string }>('SELECT agency_id FROM audit_log WHERE entry_key = $1', [
    `${caseWorkflowId(caseNumber)}/${stepUpdateId(key, hash)}`,
  ]);
  if (!rows[0]) throw unavailable('This step is still being recorded; retry shortly with the same Idempotency-Key');
  if (rows[0].agency_id !== actor.agencyId) return null;
  const answer = await answeredThen(temporal, caseNumber, stepUpdateId(key, hash));
  if (answer === 'in progress')
    throw unavailable('This step was accepted and is still being processed; retry shortly with the same Idempotency-Key');
  return answer;
}

function idempotencyKeyOf(req: Request, required: boolean): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined || key === '') {
    if (required) throw badRequest('Intake needs an Idempotency-Key header', [{ path: 'header.Idempotency-Key', message: 'required' }]);
    return undefined;
  }
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw badRequest('The Idempotency-Key header is not valid', [
      { path: 'header.Idempotency-Key', message: '1-200 visible ASCII characters' },
    ]);
  }
  return key;
}
