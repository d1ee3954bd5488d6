/**
 * People signing in over real HTTP, as a browser would: the session cookie kept from sign-in,
 * the page's Origin and the X-CSRF-Token sent back on state-changing requests.
 */
import { generate } from 'otplib';
import { addAgency } from '../../api/agencies.js';
import { addUser } from '../../api/users.js';
import type { RunningService } from './service.js';

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | null;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** An agency with one person in it: their credentials, and the agency's API key. */
export async function personIn(
  service: RunningService,
  role = 'dinsos_prov',
  scope: { regionCode?: string; uptCode?: string } = {},
  name = 'Siti Rahayu',
) {
  const agency = await addAgency(service.pool, { name: `Agency of ${role}`, role, ...scope });
  const email = `person.${crypto.randomUUID()}@dinsos.example.id`;
  const issued = await addUser(service.pool, { agencyId: agency.agencyId, name, email });
  return { ...issued, name, agencyId: agency.agencyId, apiKey: agency.apiKey };
}

/** POST /v1/session with JSON (and `headers`, such as an X-Forwarded-For naming the client); the answer and the cookie set. */
export async function signIn(baseUrl: string, email: string, password: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
    redirect: 'manual',
  });
  return { ...(await answer(response)), cookie: sessionCookie(response.headers) };
}

/** The `name=value` of the session cookie a response sets, for sending back. */
export function sessionCookie(headers: Headers): string | null {
  const set = headers.getSetCookie().find((cookie) => cookie.startsWith('ppks_session='));
  return set ? set.split(';')[0]! : null;
}

/** A browser tab of the API's own origin, holding a session cookie (replaced when an answer sets a new one) and its CSRF token. */
export function browser(baseUrl: string, initialCookie: string, csrfToken: string | null) {
  let cookie = initialCookie;
  return async (
    method: string,
    path: string,
    options: { body?: unknown; origin?: string | null; csrf?: string | null; headers?: Record<string, string> } = {},
  ) => {
    const origin = options.origin === undefined ? baseUrl : options.origin;
    const csrf = options.csrf === undefined ? csrfToken : options.csrf;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        cookie,
        ...(origin !== null ? { origin } : {}),
        ...(csrf !== null ? { 'x-csrf-token': csrf } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    cookie = sessionCookie(response.headers) ?? cookie;
    return answer(response);
  };
}

/** The authenticator app's code for a secret, `stepsAhead` 30-second steps from now (the server takes one either side). */
export const totpCode = (secret: string, stepsAhead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });

/** Enrols a TOTP second factor through `send` (a signed-in tab's requests): the secret, the recovery codes and the confirmation's answer. */
export async function enrolTotp(send: (method: string, path: string, body?: unknown) => Promise<Answer>) {
  const started = await send('POST', '/v1/session/totp/enrolment');
  if (started.status !== 200) throw new Error(`enrolment answered ${started.status}`);
  const secret = started.body!.secret as string;
  const confirmed = await send('POST', '/v1/session/totp/enrolment/confirm', { code: await totpCode(secret) });
  if (confirmed.status !== 200) throw new Error(`confirmation answered ${confirmed.status}`);
  return { secret, recoveryCodes: confirmed.body!.recoveryCodes as string[], confirmed };
}
