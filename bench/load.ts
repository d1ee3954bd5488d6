/**
 * The two ways load is offered. Closed loop: a fixed number of clients, each sending its next
 * request when the last one is answered (throughput). Open loop: requests start at a fixed rate
 * whatever happens to earlier ones, and each latency counts from when the request was due, not
 * from when it was sent, so a stalled server cannot hide its queue (coordinated omission).
 */
import pLimit from 'p-limit';
import { Latencies, type LatencySummary, round } from './stats.js';

export interface LoadResult {
  completed: number;
  failed: number;
  /** From the first request to the last answer. */
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
  /** Failures by kind (an HTTP status, or the start of the error message). */
  errors: Record<string, number>;
}

class Tally {
  readonly latencies = new Latencies();
  completed = 0;
  failed = 0;
  readonly errors: Record<string, number> = {};

  async time(startedAt: number, op: () => Promise<void>): Promise<void> {
    try {
      await op();
      this.completed++;
      this.latencies.recordMs(performance.now() - startedAt);
    } catch (error) {
      this.failed++;
      const message = String((error as Error).message ?? error);
      const kind = /HTTP \d{3}/.exec(message)?.[0] ?? message.slice(0, 120);
      this.errors[kind] = (this.errors[kind] ?? 0) + 1;
    }
  }

  result(seconds: number): LoadResult {
    return {
      completed: this.completed,
      failed: this.failed,
      seconds: round(seconds, 1),
      perSecond: round(this.completed / seconds, 1),
      latency: this.latencies.summary(),
      errors: this.errors,
    };
  }
}

/** `clients` loops, each running `op(client, n)` back to back until `seconds` have passed. */
export async function closedLoop(clients: number, seconds: number, op: (client: number, n: number) => Promise<void>): Promise<LoadResult> {
  const tally = new Tally();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() < deadline; n++) await tally.time(performance.now(), () => op(client, n));
    }),
  );
  return tally.result((performance.now() - started) / 1000);
}

/**
 * Starts `op(n)` at `rate` per second for `seconds`, then waits for every answer (`op` must give
 * up by itself at some point, as the API does after its Temporal deadline), so that no backlog
 * spills into the next run.
 */
export async function openLoop(rate: number, seconds: number, op: (n: number) => Promise<void>): Promise<LoadResult> {
  const tally = new Tally();
  const started = performance.now();
  const total = Math.max(1, Math.round(rate * seconds));
  const requests: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const dueAt = started + (n * 1000) / rate;
    const wait = dueAt - performance.now();
    if (wait > 1) await sleep(wait);
    requests.push(tally.time(dueAt, () => op(n)));
  }
  await Promise.all(requests);
  return tally.result((performance.now() - started) / 1000);
}

/** Runs `op` on every item, `concurrency` at a time (setting cases up, not measured). */
export async function forEachConcurrently<T>(items: T[], concurrency: number, op: (item: T) => Promise<void>): Promise<void> {
  const limit = pLimit(concurrency);
  await Promise.all(items.map((item) => limit(() => op(item))));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
