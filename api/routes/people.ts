/**
 * `/v1/agencies/{agencyId}/people` and `/v1/people/{userId}/…` (issue 15): supervisors manage the
 * people of any agency over the API, with the same functions (and rules) as `npm run user`. Each
 * change is audited under the acting agency and the person signed in; the person's own agency is
 * in the entry's details. Passwords are generated and shown only in the answer that issues them.
 */
import { Router, type Request, type Response } from 'express';
import type { Pool } from '../../db/pool.js';
import { permit } from '../access.js';
import { actorOf, personOf } from '../auth.js';
import { badRequest, HttpProblem, notFound, parseOr400 } from '../problem.js';
import { requestIdOf } from '../request-id.js';
import { AgencyIdParam, NewPerson, UserIdParam } from '../schemas/people.js';
import { addUser, type ChangedBy, listUsers, PeopleError, resetPassword, resetTotp, setDisabled } from '../users.js';

/** The acting agency and person, for the audit trail. */
function changedBy(req: Request, res: Response): ChangedBy {
  const actor = actorOf(res);
  return { agencyId: actor.agencyId, role: actor.role, userId: personOf(res)?.userId ?? null, requestId: requestIdOf(req) };
}

/** api/users.ts's refusals as problems naming the field. */
async function answering<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (!(error instanceof PeopleError)) throw error;
    const errors = [{ path: error.field, message: error.problem }];
    if (error.reason === 'unknown') throw notFound(`The ${error.field} ${error.problem}`);
    if (error.reason === 'taken') throw new HttpProblem(409, 'Conflict', `The ${error.field} ${error.problem}`, errors);
    throw badRequest(`The request body is not valid: ${error.field}`, errors);
  }
}

export function peopleRoutes(pool: Pool): Router {
  const router = Router();
  const userIdOf = (req: Request) => parseOr400(UserIdParam, req.params.userId, 'path');

  router.get('/agencies/:agencyId/people', permit('person.list'), async (req, res) => {
    const agencyId = parseOr400(AgencyIdParam, req.params.agencyId, 'path');
    const { rowCount } = await pool.query('SELECT 1 FROM agencies WHERE id = $1', [agencyId]);
    if (rowCount === 0) throw notFound('No such agency');
    const people = await listUsers(pool, agencyId);
    res.json({
      items: people.map(({ userId, email, name, disabled, secondFactorEnrolled, createdAt }) => ({
        userId,
        email,
        name,
        disabled,
        secondFactorEnrolled,
        createdAt,
      })),
    });
  });

  router.post('/agencies/:agencyId/people', permit('person.add'), async (req, res) => {
    const agencyId = parseOr400(AgencyIdParam, req.params.agencyId, 'path');
    const { name, email } = parseOr400(NewPerson, req.body ?? {}, 'body');
    res.status(201).json(await answering(() => addUser(pool, { agencyId, name, email }, changedBy(req, res))));
  });

  for (const disabled of [true, false]) {
    router.post(
      `/people/:userId/${disabled ? 'disable' : 'enable'}`,
      permit(disabled ? 'person.disable' : 'person.enable'),
      async (req, res) => {
        const userId = userIdOf(req);
        res.json({ userId: await answering(() => setDisabled(pool, userId, disabled, changedBy(req, res))), disabled });
      },
    );
  }

  router.post('/people/:userId/reset-password', permit('person.reset_password'), async (req, res) => {
    const userId = userIdOf(req);
    res.json(await answering(() => resetPassword(pool, userId, undefined, changedBy(req, res))));
  });

  router.post('/people/:userId/reset-totp', permit('person.reset_totp'), async (req, res) => {
    const userId = userIdOf(req);
    res.json({ userId: await answering(() => resetTotp(pool, userId, changedBy(req, res))), secondFactor: 'reset' });
  });
  return router;
}
