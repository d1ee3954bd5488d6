/**
 * Drives one case over the HTTP API as a real agency would: one Idempotency-Key and X-Request-Id
 * per step, kept across retries; some answers taken as lost and the request sent again. Each step
 * is recorded for the checks, and a view its path does not allow stops the case there.
 */
import type { CaseView } from '../domain/case-view.js';
import type { Stage } from '../domain/case.js';
import { AgencyClient, type Outcome, GaveUp, sleep } from './http.js';
import type { ChaosOptions } from './options.js';
import type { CaseSpec } from './plan.js';
import { seededRandom } from '../scripts/seeded-random.js';
import { type Agencies, FOUND_REGION } from './setup.js';

/** One logical step as the agency saw it. */
interface StepRecord {
  action: string;
  requestId: string;
  /** The final status; 0 when the driver gave up retrying. */
  status: number;
  seen: Outcome[];
  /** Finally answered 200 or 201 (a 202 is re-sent until it is). */
  accepted: boolean;
  /** From the first attempt to the final answer (or giving up), in ms since the run started. */
  sentAtMs: number;
  answeredAtMs: number | null;
  /** When the answer was treated as lost and the request sent again: what the replay got. */
  replay?: { status: number; seen: Outcome[]; /** Why it was not the first result; absent when it was. */ detail?: string };
}

/** Where a case must be once the service has settled. */
export interface Expected {
  label: string;
  status: 'open' | 'closed';
  stage: Stage;
  outcome?: string;
  /** Checked when present (null: no bed). */
  upt?: string | null;
  escalationLevel?: number;
  slaStage?: string;
}

export interface CaseRun {
  spec: CaseSpec;
  caseNumber: string | null;
  steps: StepRecord[];
  expected: Expected | null;
  /** Why the driver stopped early (an unexpected answer or view), else null. */
  problem: string | null;
  finishedAtMs: number | null;
}

export interface DriverContext {
  runId: string;
  agencies: Agencies;
  options: ChaosOptions;
  startedAt: number;
}

/** What the X-Request-Ids of one case's steps start with (chaos/windows.ts reads the case back from it). */
export const caseRequestPrefix = (runId: string, index: number) => `chaos-${runId}-c${index}`;

/** The driver met an answer or a view its path does not allow: the case stops there. */
export class Deviation extends Error {}

export class CaseDriver {
  private stepNo = 0;

  constructor(
    private readonly ctx: DriverContext,
    readonly run: CaseRun,
  ) {}

  get a(): Agencies {
    return this.ctx.agencies;
  }

  async intake(body: Record<string, unknown>, expectStage: Stage): Promise<CaseView> {
    const view = await this.send(this.a.satpol, 'case.intake', '/v1/cases', {
      foundAt: new Date(Date.now() - 3_600_000).toISOString(),
      foundRegion: FOUND_REGION,
      foundPlace: 'Terminal Purabaya',
      ...body,
    });
    this.run.caseNumber = view.caseNumber;
    return expectView(view, expectStage);
  }

  /** Posts a case step after the agency's pause, and checks the stage the case shows after it. */
  async step(
    agency: AgencyClient,
    action: string,
    path: string,
    body: unknown,
    expectStage: Stage,
    more: Partial<Expected> = {},
  ): Promise<CaseView> {
    const [min, max] = this.ctx.options.thinkMs;
    await sleep(min + Math.random() * (max - min));
    const view = await this.send(agency, action, `/v1/cases/${this.run.caseNumber}/${path}`, body);
    return expectView(view, expectStage, more);
  }

  private async send(agency: AgencyClient, action: string, url: string, body: unknown): Promise<CaseView> {
    this.stepNo++;
    const since = () => Date.now() - this.ctx.startedAt;
    const record: StepRecord = {
      action,
      requestId: `${caseRequestPrefix(this.ctx.runId, this.run.spec.index)}-s${this.stepNo}`,
      status: 0,
      seen: [],
      accepted: false,
      sentAtMs: since(),
      answeredAtMs: null,
    };
    this.run.steps.push(record);
    try {
      const answer = await agency.post(url, body, { idempotencyKey: record.requestId, requestId: record.requestId }).finally(() => {
        record.answeredAtMs = since();
      });
      record.status = answer.status;
      record.seen = answer.seen;
      record.accepted = answer.status === 200 || answer.status === 201;
      if (!record.accepted)
        throw new Deviation(`${action} answered ${answer.status}: ${answer.body?.detail ?? JSON.stringify(answer.body)}`);
      if (lostAnswer(this.ctx.options, this.run.spec.index, this.stepNo))
        await this.replay(agency, url, body, record, answer.body as CaseView);
      return answer.body as CaseView;
    } catch (error) {
      if (error instanceof GaveUp) {
        record.seen = error.seen;
        throw new Deviation(`${action}: ${error.message}`);
      }
      throw error;
    }
  }

  /**
   * As if the answer had been lost on the way, the agency sends the very same request again: it
   * must get the first result (200) and change nothing. What it got is recorded for the checks;
   * the case goes on with the first answer either way.
   */
  private async replay(agency: AgencyClient, url: string, body: unknown, record: StepRecord, first: CaseView): Promise<void> {
    try {
      const again = await agency.post(url, body, { idempotencyKey: record.requestId, requestId: record.requestId });
      const same = again.status === 200 && again.body?.stage === first.stage && again.body?.status === first.status;
      const detail = same
        ? undefined
        : String(again.body?.detail ?? `shows ${again.body?.status}/${again.body?.stage}, the first answer ${first.status}/${first.stage}`);
      record.replay = { status: again.status, seen: again.seen, detail };
    } catch (error) {
      if (!(error instanceof GaveUp)) throw error;
      record.replay = { status: 0, seen: error.seen, detail: error.message };
    }
  }
}

/** Whether the answer to a case's n-th step is taken as lost: a fixed share of steps, the same ones for a seed. */
function lostAnswer(options: ChaosOptions, caseIndex: number, stepNo: number): boolean {
  if (options.lostAnswerShare <= 0) return false;
  const random = seededRandom(options.seed ^ Math.imul(caseIndex + 1, 0x9e3779b1) ^ Math.imul(stepNo, 0x85ebca6b));
  return random() < options.lostAnswerShare;
}

function expectView(view: CaseView, stage: Stage, more: Partial<Expected> = {}): CaseView {
  const problem = mismatch({ label: '', status: stage === 'closed' ? 'closed' : 'open', stage, ...more }, view);
  if (problem) throw new Deviation(`case ${view.caseNumber} after the step: ${problem}`);
  return view;
}

/** What differs between the expectation and the case view; null when nothing does. */
export function mismatch(expected: Expected, view: CaseView): string | null {
  const differences: string[] = [];
  const compare = (name: string, want: unknown, got: unknown) => {
    if (want !== undefined && want !== got) differences.push(`${name} ${JSON.stringify(got)} (expected ${JSON.stringify(want)})`);
  };
  compare('status', expected.status, view.status);
  compare('stage', expected.stage, view.stage);
  compare('outcome', expected.outcome, view.outcome);
  compare('upt', expected.upt, view.upt);
  compare('escalationLevel', expected.escalationLevel, view.escalationLevel);
  compare('sla.stage', expected.slaStage, view.sla?.stage);
  return differences.length ? differences.join(', ') : null;
}
