/**
 * Which answers a fault explains, and what each fault hit: pure functions over the record of
 * every HTTP attempt (chaos/http.ts) and of every step (chaos/case-driver.ts), so that the rules
 * the chaos run is held to can be tested without a stack (tests/unit/chaos-windows.test.ts).
 *
 * A 503 is explained by a fault when its request was in flight at some moment between the
 * fault's start and its end plus the grace: sent no later than `end + grace` and answered no
 * earlier than `start`. Counting by the request's span, not by when it was answered, is what
 * lets a request sent during the outage wait the API's 10 s Temporal deadline and still be the
 * outage's; the grace covers what the service needs once the fault is over (see
 * docs/fault-injection.md for why 5 s).
 */

export interface Span {
  /** ms since the run started */
  at: number;
  ms: number;
  /** The logical request's X-Request-Id; a case's steps share the part before `-s<step>`. */
  requestId?: string | null;
}

/** The case a request belongs to (its X-Request-Id without the step), or null. */
const caseOf = (span: Span): string | null => span.requestId?.replace(/-s\d+$/, '') ?? null;

export interface FaultSpan {
  kind: 'worker_kill' | 'temporal_restart' | 'postgres_restart';
  startedAtMs: number;
  endedAtMs: number;
}

/** A logical step (all its retries): from its first attempt to its final answer, in ms since the run started. */
export interface StepSpan {
  sentAtMs: number;
  /** null while (or if never) answered */
  answeredAtMs: number | null;
}

/** The request overlapped [from, to]. */
const overlaps = (span: Span, from: number, to: number): boolean => span.at <= to && span.at + span.ms >= from;

/**
 * The Temporal server goes on sending a case cached on a worker (its queries and workflow tasks)
 * to that worker's sticky queue until the worker has not polled for 10 s (`stickyPollerUnavailableWindow`,
 * hard-coded in its matching service). After a kill -9 a query of such a case waits there until
 * the API's deadline, and a workflow task for its sticky schedule-to-start timeout: the outage of
 * a worker kill lasts until the new worker is ready or those 10 s have passed, whichever is later.
 */
const STICKY_POLLER_UNAVAILABLE_MS = 10_000;

/** When the service is back from the fault, before the grace. */
export const outageEndOf = (fault: FaultSpan): number =>
  fault.kind === 'worker_kill' ? Math.max(fault.endedAtMs, fault.startedAtMs + STICKY_POLLER_UNAVAILABLE_MS) : fault.endedAtMs;

/** Whether `fault` explains an answer to `request`: in flight during its outage or the grace after. */
export const explains = (fault: FaultSpan, request: Span, graceMs: number): boolean =>
  overlaps(request, fault.startedAtMs, outageEndOf(fault) + graceMs);

/** How long after the end of the outage of the latest fault explaining it the request was sent (negative: during the fault). */
export function lagAfterFault(faults: FaultSpan[], request: Span): number | null {
  const before = faults.filter((fault) => fault.startedAtMs <= request.at + request.ms);
  if (before.length === 0) return null;
  return Math.min(...before.map((fault) => request.at - outageEndOf(fault)));
}

export interface Attribution<R extends Span> {
  /** Per fault (same order), the requests it explains. */
  perFault: R[][];
  /** Requests explained only as held by a killed worker (the second rule below). */
  held: R[];
  /** Requests no fault explains. */
  unexplained: R[];
}

export interface AttributionRules {
  graceMs: number;
  /** How long work a killed worker held waits before Temporal gives it to another (0: no such rule). */
  heldMs?: number;
  /** Every request of the run, not only the ones attributed: they tell which cases a kill hit. */
  all?: Span[];
  /**
   * Per case (its X-Request-Id without the step), when its workflow history shows a workflow task
   * or an activity that timed out on a worker (ms since the run started): chaos/held-work.ts.
   */
  timeouts?: Map<string, number[]>;
}

/** Until when work a killed worker held may keep its cases waiting: the held time plus the grace after the kill. */
const heldUntil = (fault: FaultSpan, heldMs: number, graceMs: number): number => fault.startedAtMs + heldMs + graceMs;

/**
 * The worker kill whose worker held the work that timed out at `atMs`: the latest kill started
 * before it and no longer than the held time plus the grace before it; -1 when there is none.
 */
export function killThatHeld(faults: FaultSpan[], atMs: number, heldMs: number, graceMs: number): number {
  let found = -1;
  faults.forEach((fault, i) => {
    if (fault.kind === 'worker_kill' && fault.startedAtMs <= atMs && atMs <= heldUntil(fault, heldMs, graceMs)) found = i;
  });
  return found;
}

/**
 * Two rules. Any request in flight during a fault or its grace after is the fault's. And a case
 * the worker kill hit may wait on work the killed worker held: an activity, which Temporal retries
 * only after its start-to-close timeout (`heldMs`, 30 s), or a workflow task left on the killed
 * worker's sticky queue until its schedule-to-start timeout (10 s). That case's requests sent up
 * to `heldMs` plus the grace after the kill are the kill's too. A case is hit when one of its
 * requests was in flight while the worker was down, or when its workflow history shows a task
 * or an activity that timed out after the kill (`timeouts`). Every other request must be served.
 */
export function attribute<R extends Span>(faults: FaultSpan[], requests: R[], rules: AttributionRules): Attribution<R> {
  const { graceMs, heldMs = 0, all = requests, timeouts = new Map<string, number[]>() } = rules;
  const perFault: R[][] = faults.map(() => []);
  const held: R[] = [];
  const unexplained: R[] = [];
  const hitCases = faults.map((fault) =>
    fault.kind === 'worker_kill'
      ? new Set(all.filter((r) => overlaps(r, fault.startedAtMs, fault.endedAtMs)).flatMap((r) => caseOf(r) ?? []))
      : new Set<string>(),
  );
  for (const [kase, times] of timeouts)
    for (const atMs of times) {
      const kill = killThatHeld(faults, atMs, heldMs, graceMs);
      if (kill >= 0) hitCases[kill]!.add(kase);
    }
  for (const request of requests) {
    let any = false;
    faults.forEach((fault, i) => {
      if (explains(fault, request, graceMs)) {
        perFault[i]!.push(request);
        any = true;
      }
    });
    if (any) continue;
    const kase = caseOf(request);
    const kill = faults.findIndex(
      (fault, i) => kase !== null && hitCases[i]!.has(kase) && overlaps(request, fault.startedAtMs, heldUntil(fault, heldMs, graceMs)),
    );
    if (kill >= 0) {
      perFault[kill]!.push(request);
      held.push(request);
    } else unexplained.push(request);
  }
  return { perFault, held, unexplained };
}

/** Requests in flight at some moment while the fault lasted (its grace not included). */
export const requestsInFlight = (fault: FaultSpan, requests: Span[]): number =>
  requests.filter((request) => overlaps(request, fault.startedAtMs, fault.endedAtMs)).length;

/** Steps under way (posted and not yet finally answered) at some moment while the fault lasted. */
export const stepsInFlight = (fault: FaultSpan, steps: StepSpan[]): number =>
  steps.filter((step) => step.sentAtMs <= fault.endedAtMs && (step.answeredAtMs === null || step.answeredAtMs >= fault.startedAtMs)).length;
