/**
 * Sends the queued intakes of the signed-in person, oldest first, each with its own
 * Idempotency-Key: POST /v1/cases answers a key it has seen with the same case (200), so a send
 * whose answer was lost, a reload or a second tab never opens a second case.
 */
import { api } from '../api/client';
import { putQueued, queuedOf, removeQueued, type FieldProblem } from './store';

export interface Sent {
  key: string;
  caseNumber: string;
}

/** One round at a time in this tab: the `online` event, the timer and a new submission may all ask at once. */
let round: Promise<Sent[]> | null = null;

export function sendQueued(owner: string): Promise<Sent[]> {
  round ??= sendAll(owner).finally(() => (round = null));
  return round;
}

async function sendAll(owner: string): Promise<Sent[]> {
  const sent: Sent[] = [];
  for (const item of await queuedOf(owner)) {
    if (item.refusal) continue;
    let answer;
    try {
      answer = await api.POST('/v1/cases', { params: { header: { 'Idempotency-Key': item.key } }, body: item.report });
    } catch {
      // No signal (or it dropped mid-way): everything stays queued for the next round.
      break;
    }
    const { status } = answer.response;
    if (answer.data) {
      await removeQueued(item.key);
      sent.push({ key: item.key, caseNumber: answer.data.caseNumber });
    } else if (isRefusal(status)) {
      const problem = answer.error as { detail?: string; errors?: FieldProblem[] } | undefined;
      await putQueued({ ...item, refusal: { detail: problem?.detail ?? `HTTP ${status}`, errors: problem?.errors ?? [] } });
    } else {
      // 401 (the session ended: sent after signing in again), 408, 429, 5xx: later, with the same key.
      break;
    }
  }
  return sent;
}

/** A 4xx the intake itself caused: sending it again unchanged would be refused again. */
const isRefusal = (status: number) => status >= 400 && status < 500 && ![401, 408, 429].includes(status);
