/** `/v1/agencies/{agencyId}/people` and `/v1/people/{userId}/…`: a supervisor managing the people of any agency. */
import { instant, z } from '../../domain/schemas.js';

export const AgencyIdParam = z.string().min(1).max(200);
/** A person's ID as `npm run user` prints it (over the API never an email: that is personal data in a URL). */
export const UserIdParam = z.string().regex(/^user_[0-9a-f-]{36}$/, 'must be a user ID such as user_0b6a…');

export const NewPerson = z
  .strictObject({
    name: z.string().min(1).max(200),
    // The format is checked by api/users.ts, as for `npm run user -- add`.
    email: z.string().max(254),
  })
  .openapi('NewPerson');

export const IssuedPassword = z
  .object({
    userId: z.string(),
    email: z.string(),
    password: z.string().openapi({ description: 'Generated; shown only this once, stored only as an argon2id hash' }),
  })
  .openapi('IssuedPassword');

export const Person = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    disabled: z.boolean(),
    secondFactorEnrolled: z.boolean(),
    createdAt: instant,
  })
  .openapi('Person', { description: 'A person of the agency: never a password hash or a second-factor secret' });

export const PersonChanged = z.object({
  userId: z.string(),
  disabled: z.boolean().optional(),
  secondFactor: z.literal('reset').optional(),
});
