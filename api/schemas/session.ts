/** `/v1/session` and `/v1/me`: signing in, and who is signed in. */
import { ROLES } from '../../domain/case.js';
import { z } from '../../domain/schemas.js';

export const SignIn = z
  .strictObject({
    email: z.string().trim().min(3).max(254),
    // Capped so that a huge body is not hashed; far above any password a person types.
    password: z.string().min(1).max(1024),
  })
  .openapi('SignIn');

export const Me = z
  .object({
    userId: z.string().nullable().openapi({ description: 'The person signed in; null with an API key' }),
    email: z.string().nullable(),
    name: z.string().nullable(),
    agency: z.object({ id: z.string(), name: z.string() }),
    role: z.enum(ROLES),
    scope: z.object({ regionCode: z.string().nullable(), uptCode: z.string().nullable() }),
    csrfToken: z.string().nullable().openapi({
      description: 'Send it back as X-CSRF-Token on every state-changing request made with the session cookie; null with an API key',
    }),
  })
  .openapi('Me');
