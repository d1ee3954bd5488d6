/** `/v1/session` and `/v1/me`: signing in, and who is signed in. */
import { ROLES } from '../../domain/case.js';
import { z } from '../../domain/schemas.js';
import { SECOND_FACTOR_STATES } from '../second-factor.js';

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
    secondFactor: z.enum(SECOND_FACTOR_STATES).nullable().openapi({
      description:
        'enrolment_required or required: the session reaches nothing but GET /v1/me, signing out and the /v1/session/totp endpoints until the second factor is given; verified; not_enrolled (optional for this role); null with an API key',
    }),
  })
  .openapi('Me');

const TotpCode = z.string().regex(/^\d{6}$/, 'six digits');

export const TotpConfirmation = z.strictObject({ code: TotpCode }).openapi('TotpConfirmation');

export const TotpVerification = z
  .strictObject({
    code: TotpCode.optional().openapi({ description: "The authenticator app's current code" }),
    recoveryCode: z.string().trim().min(1).max(64).optional().openapi({ description: 'One of the recovery codes, each usable once' }),
  })
  .refine((body) => (body.code === undefined) !== (body.recoveryCode === undefined), {
    message: 'send either code or recoveryCode',
    path: ['code'],
  })
  .openapi('TotpVerification');

export const TotpEnrolment = z
  .object({
    secret: z.string().openapi({ description: 'The shared secret (base32), for typing into an app; shown only this once' }),
    otpauthUri: z.string().openapi({ description: 'The otpauth:// URI, for a QR code' }),
  })
  .openapi('TotpEnrolment');

export const TotpEnrolled = Me.extend({
  recoveryCodes: z.array(z.string()).openapi({ description: 'Ten recovery codes, each usable once: shown only this once' }),
}).openapi('TotpEnrolled');
