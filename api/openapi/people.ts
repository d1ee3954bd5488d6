/** The documented routes for managing an agency's people: listing, adding, disabling, enabling, resets. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../../domain/schemas.js';
import { IssuedPassword, NewPerson, Person, PersonChanged } from '../schemas/people.js';
import { created, items, json, ok, problem, route } from './common.js';

const agency = z.object({ agencyId: z.string() });
const person = z.object({ userId: z.string().openapi({ example: 'user_0b6a3f0e-5d0c-4b8e-9a51-2f7c6d1e8a90' }) });
const noPerson = { 404: problem('No person with this ID') };

export const peopleRoutes: RouteConfig[] = [
  route('person.list', {
    summary: 'The people of an agency, with whether they have a second factor (never a hash or secret)',
    request: { params: agency },
    responses: ok('People', items(Person), { 404: problem('No such agency') }),
  }),
  route('person.add', {
    summary: 'Add a person to an agency; the generated password is shown only in this answer',
    description:
      'An email that is not one is 400 naming `email`; an email taken (in any case) 409 naming `email`. Audited as `user.added`.',
    request: { params: agency, body: json(NewPerson) },
    responses: { ...created('Added', IssuedPassword, false), 404: problem('No such agency'), 409: problem('The email is taken') },
  }),
  route('person.disable', {
    summary: 'Disable a person: their sessions end, their next request is refused',
    request: { params: person },
    responses: ok('Disabled', PersonChanged, noPerson),
  }),
  route('person.enable', {
    summary: 'Enable a person again',
    request: { params: person },
    responses: ok('Enabled', PersonChanged, noPerson),
  }),
  route('person.reset_password', {
    summary: "A new generated password, shown only in this answer; the person's sessions end",
    request: { params: person },
    responses: ok('Reset', IssuedPassword, noPerson),
  }),
  route('person.reset_totp', {
    summary: "Remove a person's second factor (a lost device): their sessions end, they enrol again at the next sign-in",
    request: { params: person },
    responses: ok('Reset', PersonChanged, noPerson),
  }),
];
