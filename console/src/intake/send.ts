/**
 * Sends the queued intakes of the signed-in person, oldest first, each with its own
 * Idempotency-Key: POST /v1/cases answers a key it has seen with the same case (200), so a send
 * whose answer was lost, a reload or a second tab never opens a second case.
 */
import { api, rememberSession } from '../api/client';
import { putQueued, queuedOf, removeQueued, type FieldProblem, type QueuedIntake } from './store';

export interface Sent {
  key: string;
  caseNumber: string;
}

export interface Round {
  sent: Sent[];
  /** The API answered 401: the session ended, so the person signs in again and the queue goes on. */
  signedOut: boolean;
}

/** One round at a time in this tab: the `online` event, the timer and a new submission may all ask at once. */
let round: Promise<Round> | null = null;

export function sendQueued(owner: string): Promise<Round> {
  round ??= sendAll(owner).finally(() => (round = null));
  return round;
}

async function sendAll(owner: string): Promise<Round> {
  const sent: Sent[] = [];
  let tokenRenewed = false;
  for (const item of await queuedOf(owner)) {
    if (item.refusal) continue;
    let answer;
    try {
      answer = await post(item.key, item.report);
      // A 403 may be a CSRF token the page holds from before (a reload offline, another tab signing in): once per round,
      // the session's current token and the same key again; a second 403 is the API's refusal of the intake.
      if (answer.response.status === 403 && !tokenRenewed) {
        tokenRenewed = true;
        if (await renewToken()) answer = await post(item.key, item.report);
      }
    } catch {
      // No signal (or it dropped mid-way): everything stays queued for the next round.
      break;
    }
    const { status } = answer.response;
    if (status === 401) return { sent, signedOut: true };
    if (answer.data) {
      await removeQueued(item.key);
      sent.push({ key: item.key, caseNumber: answer.data.caseNumber });
    } else if (isRefusal(status)) {
      const problem = answer.error as { detail?: string; errors?: FieldProblem[] } | undefined;
      await putQueued({ ...item, refusal: { detail: problem?.detail ?? `HTTP ${status}`, errors: problem?.errors ?? [] } });
    } else {
      // 408, 429, 5xx: later, with the same key.
      break;
    }
  }
  return { sent, signedOut: false };
}

const post = (key: string, report: QueuedIntake['report']) =>
  api.POST('/v1/cases', { params: { header: { 'Idempotency-Key': key } }, body: report });

async function renewToken(): Promise<boolean> {
  const answer = await api.GET('/v1/me');
  if (answer.data) rememberSession(answer.data);
  return !!answer.data;
}

/** A 4xx the intake itself caused: sending it again unchanged would be refused again. */
const isRefusal = (status: number) => status >= 400 && status < 500 && ![408, 429].includes(status);
