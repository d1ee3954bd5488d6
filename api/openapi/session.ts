/** The documented session routes: signing in and out, and who is signed in. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { Me, SignIn, TotpConfirmation, TotpEnrolled, TotpEnrolment, TotpVerification } from '../schemas/session.js';
import { z } from '../../domain/schemas.js';
import { json, problem, RETRY_AFTER, unavailable } from './common.js';

const SET_COOKIE = {
  'Set-Cookie': {
    description: '`ppks_session=…; HttpOnly; SameSite=Strict; Path=/` (and `Secure`, except to localhost over plain HTTP)',
    schema: { type: 'string' as const },
  },
};
const badInput = problem('Bad input; `errors` names each field');
const tooMany = problem('Too many failed authentications from this client or for this account; see Retry-After', RETRY_AFTER);
const unexpected = problem('Unexpected: the request may be sent again');
const csrf = problem(
  "With a session cookie: the Origin header is missing or not an allowed origin, or X-CSRF-Token is missing or not the session's",
);
const unauthenticated = (description: string) =>
  problem(description, { 'WWW-Authenticate': { description: '`Bearer realm="ppks"`', schema: { type: 'string' } } });
const wrongCode = unauthenticated('No live session, or the code is wrong or used already (counted as a failed sign-in)');

export const sessionRoutes: RouteConfig[] = [
  {
    method: 'post',
    path: '/v1/session',
    operationId: 'signIn',
    summary: "Sign a person in with email and password (JSON, or the console's form post)",
    description:
      'Sets the session cookie. A JSON sign-in answers 201 with the person and the CSRF token; a form post (application/x-www-form-urlencoded) answers 303 to the console. An unknown email and a wrong password get the same 401. Failed sign-ins count in the limiter of failed API keys.',
    request: {
      body: {
        content: { 'application/json': { schema: SignIn }, 'application/x-www-form-urlencoded': { schema: SignIn } },
      },
    },
    responses: {
      201: { description: 'Signed in: the person, and the token to send as X-CSRF-Token', headers: SET_COOKIE, ...json(Me) },
      303: {
        description: 'Signed in from the sign-in form: on to the console',
        headers: { ...SET_COOKIE, Location: { description: '`/`', schema: { type: 'string' } } },
      },
      400: badInput,
      401: unauthenticated('Unknown email or wrong password (or a disabled account)'),
      403: problem('The Origin header names another site'),
      413: problem('The body is over its limit'),
      415: problem('The body is not UTF-8'),
      429: tooMany,
      500: unexpected,
      503: unavailable,
    },
  },
  {
    method: 'delete',
    path: '/v1/session',
    operationId: 'signOut',
    summary: 'Sign out: the session ends in every tab that uses it',
    security: [{ session: [] }],
    responses: {
      204: { description: 'Signed out; the cookie is cleared' },
      400: problem('Made with an API key: there is no session to end'),
      401: unauthenticated('No session, or it has ended'),
      403: csrf,
      429: tooMany,
      500: unexpected,
      503: unavailable,
    },
  },
  {
    method: 'get',
    path: '/v1/me',
    operationId: 'meRead',
    summary: 'Who is signed in: the person and their agency (with an API key: the agency, no person)',
    security: [{ session: [] }, { apiKey: [] }],
    responses: {
      200: { description: 'The person (or null for an API key), the agency, its role and scope, and the CSRF token', ...json(Me) },
      304: { description: 'Not modified: If-None-Match names the current ETag' },
      400: badInput,
      401: unauthenticated('No or unknown API key, or no live session (ended, timed out, or the person disabled)'),
      429: tooMany,
      500: unexpected,
      503: unavailable,
    },
  },
  {
    method: 'post',
    path: '/v1/session/totp/enrolment',
    operationId: 'totpEnrolmentStart',
    summary: 'Start enrolling a TOTP second factor: the secret and otpauth:// URI, shown once',
    description:
      'From a session whose person has no second factor yet: required at the first sign-in of supervisors and auditors, optional for everyone else. Starting again replaces a secret not yet confirmed.',
    security: [{ session: [] }],
    responses: {
      200: { description: 'The new secret, for the authenticator app', ...json(TotpEnrolment) },
      400: problem('Made with an API key: a second factor belongs to a person'),
      401: unauthenticated('No session, or it has ended'),
      403: csrf,
      409: problem('A second factor is enrolled already (after losing the device: npm run user -- reset-totp)'),
      429: tooMany,
      500: unexpected,
      503: unavailable,
    },
  },
  {
    method: 'post',
    path: '/v1/session/totp/enrolment/confirm',
    operationId: 'totpEnrolmentConfirm',
    summary: "Confirm the enrolment with the app's current code: ten recovery codes, shown once",
    description: 'The second factor is enabled and the session has passed it.',
    security: [{ session: [] }],
    request: { body: { content: { 'application/json': { schema: TotpConfirmation } } } },
    responses: {
      200: { description: 'Enrolled: the person (secondFactor verified) and the recovery codes', ...json(TotpEnrolled) },
      400: badInput,
      401: wrongCode,
      403: csrf,
      409: problem('No enrolment started, or it is confirmed already'),
      413: problem('The body is over its limit'),
      415: problem('The body is not UTF-8'),
      429: tooMany,
      500: unexpected,
      503: unavailable,
    },
  },
  {
    method: 'post',
    path: '/v1/session/totp',
    operationId: 'totpVerify',
    summary: 'Pass the second factor after the password, with a TOTP code or a recovery code',
    description: 'A code is accepted once, one 30-second step either side of now; a recovery code once ever.',
    security: [{ session: [] }],
    request: { body: { content: { 'application/json': { schema: TotpVerification } } } },
    responses: {
      200: { description: 'The session has passed the second factor', ...json(Me) },
      400: badInput,
      401: wrongCode,
      403: csrf,
      409: problem('No second factor is enrolled: enrol one'),
      413: problem('The body is over its limit'),
      415: problem('The body is not UTF-8'),
      429: tooMany,
      500: unexpected,
      503: unavailable,
    },
  },
  {
    method: 'get',
    path: '/v1/session/oidc',
    operationId: 'ssoStart',
    summary: "Single sign-on: on to the agency's identity provider (OpenID Connect)",
    description:
      'Sends the browser to the provider with PKCE, state and nonce (kept server-side, found again by a short-lived SameSite=Lax cookie). 404 when single sign-on is not configured.',
    responses: {
      303: {
        description: "On to the identity provider's authorization endpoint",
        headers: {
          Location: { description: "The provider's authorization URL", schema: { type: 'string' } },
          'Set-Cookie': {
            description: '`ppks_oidc=…; Max-Age=600; Path=/v1/session/oidc; HttpOnly; SameSite=Lax` (and `Secure`, except to localhost)',
            schema: { type: 'string' },
          },
        },
      },
      404: problem('Single sign-on is not configured (OIDC_ISSUER)'),
      500: unexpected,
      503: unavailable,
    },
  },
  {
    method: 'get',
    path: '/v1/session/oidc/callback',
    operationId: 'ssoCallback',
    summary: 'Single sign-on: back from the identity provider, signed in',
    description:
      "The code is exchanged and the ID token verified; the provider's group claim (OIDC_AGENCY_CLAIM) must map to exactly one agency. The person is found by the provider's subject, or created without a password, and gets the same session as a password sign-in (supervisors and auditors still pass the TOTP second factor). Refusals count in the limiter of failed authentications of the client.",
    request: {
      query: z.object({
        code: z.string().optional().openapi({ description: 'From the provider' }),
        state: z.string().optional().openapi({ description: 'From the provider: the one this browser was sent with' }),
      }),
    },
    responses: {
      303: {
        description: 'Signed in: on to the console',
        headers: { ...SET_COOKIE, Location: { description: '`/`', schema: { type: 'string' } } },
      },
      400: problem('No single sign-on was started in this browser in the last 10 minutes (no or unknown ppks_oidc cookie)'),
      403: problem(
        'The provider did not sign the person in (state, nonce, PKCE or ID token did not match, or it answered an error), their groups map to no agency or to several, or the person is disabled',
      ),
      404: problem('Single sign-on is not configured (OIDC_ISSUER)'),
      429: tooMany,
      500: unexpected,
      503: unavailable,
    },
  },
];
