/**
 * The case paths, each driven over the HTTP API by the agencies that own its steps, as a real
 * agency would: one Idempotency-Key and X-Request-Id per step, kept across retries. Each driver
 * returns where its case must end up (closed, or waiting at a step), which the checks hold the
 * service to once the faults are over.
 */
import type { CaseView } from '../domain/case-view.js';
import type { Stage } from '../domain/case.js';
import { AgencyClient, type Outcome, GaveUp, sleep } from './http.js';
import { casesPerPath, type ChaosOptions, PATHS, type PathName } from './options.js';
import { seededRandom } from '../scripts/seeded-random.js';
import { type Agencies, FOUND_REGION, HOME_REGION, nikFor, PLACEMENT_UPT, SHORT_SLA_TYPE, SHORTAGE_TYPE, SHORTAGE_UPT } from './setup.js';

export interface CaseSpec {
  index: number;
  path: PathName;
  variant: string;
  /** When the driver reports the case, in ms after the run started. */
  startAtMs: number;
  sex: 'M' | 'F';
  age: number;
  /** NIK given at intake, with where the civil registry places it. */
  nik?: { nik: string; regionCode: string };
}

/** One logical step as the agency saw it. */
interface StepRecord {
  action: string;
  requestId: string;
  /** The final status; 0 when the driver gave up retrying. */
  status: number;
  seen: Outcome[];
  /** Finally answered 200 or 201 (a 202 is re-sent until it is). */
  accepted: boolean;
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

// --- the plan ------------------------------------------------------------------------------

const VARIANTS: Partial<Record<PathName, string[]>> = {
  upt_placement: ['not_matched', 'not_possible'],
  medical_hold: ['to_placement', 'to_home'],
  relay: ['one_leg', 'two_legs', 'registry'],
};

/** Deterministic per seed: which case takes which path and variant, and when it starts. */
export function planCases(options: ChaosOptions): CaseSpec[] {
  const random = seededRandom(options.seed);
  const counts = casesPerPath(options);
  const paths: PathName[] = PATHS.flatMap((path) => Array.from({ length: counts[path] }, () => path));
  // Shuffled, so that every path is in flight throughout the intake spread.
  for (let i = paths.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [paths[i], paths[j]] = [paths[j]!, paths[i]!];
  }
  const seenPerPath = new Map<PathName, number>();
  return paths.map((path, index) => {
    const nth = seenPerPath.get(path) ?? 0;
    seenPerPath.set(path, nth + 1);
    const variants = VARIANTS[path];
    const variant = variants ? variants[nth % variants.length]! : 'default';
    const sex: 'M' | 'F' = path === 'bed_shortage' || random() < 0.4 ? 'F' : 'M';
    const spec: CaseSpec = {
      index,
      path,
      variant,
      startAtMs: Math.round((index / paths.length) * options.intakeSpreadMs),
      sex,
      age: 20 + Math.floor(random() * 36),
    };
    const serial = index + 1;
    if (path === 'repatriation' || path === 'left_at_departure') spec.nik = { nik: nikFor('350901', sex, serial), regionCode: HOME_REGION };
    if (path === 'relay' && variant === 'registry') spec.nik = { nik: nikFor('337401', sex, serial), regionCode: '33.74' };
    return spec;
  });
}

// --- driving ------------------------------------------------------------------------------

export interface DriverContext {
  runId: string;
  agencies: Agencies;
  options: ChaosOptions;
  startedAt: number;
}

/** The driver met an answer or a view its path does not allow: the case stops there. */
class Deviation extends Error {}

class CaseDriver {
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
    const id = `${this.ctx.runId}-c${this.run.spec.index}-s${this.stepNo}`;
    const record: StepRecord = { action, requestId: `chaos-${id}`, status: 0, seen: [], accepted: false };
    this.run.steps.push(record);
    try {
      const answer = await agency.post(url, body, { idempotencyKey: record.requestId, requestId: record.requestId });
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

const closed = (outcome: string): Expected => ({ label: `closed (${outcome})`, status: 'closed', stage: 'closed', outcome });

const gelandangan = (spec: CaseSpec, extra: Record<string, unknown> = {}) => ({
  ppksType: 'gelandangan',
  person: { sex: spec.sex, estimatedAge: spec.age, ...(spec.nik ? { nik: spec.nik.nik } : {}) },
  ...extra,
});

/** UPT placement to closure: bed reserved, admission, two follow-up visits. */
async function placeAndClose(d: CaseDriver): Promise<Expected> {
  const { a } = d;
  await d.step(a.prov, 'case.address', 'address', { outcome: 'not_found' }, 'placement', {
    upt: PLACEMENT_UPT,
    slaStage: 'placement_admission',
  });
  await d.step(a.uptPlacement, 'case.admission', 'placement/admission', {}, 'follow_up');
  await d.step(a.uptPlacement, 'case.follow_up', 'follow-ups', { outcome: 'stable' }, 'follow_up');
  await d.step(a.uptPlacement, 'case.follow_up', 'follow-ups', { outcome: 'independent' }, 'closed');
  return closed('independent');
}

/** Repatriation from the departure on: handover by the home Dinsos, then its follow-up closes. */
async function repatriateAndClose(d: CaseDriver): Promise<Expected> {
  const { a } = d;
  await d.step(a.prov, 'case.departure', 'repatriation/departure', { transport: 'bus Surabaya-Jember' }, 'repatriation', {
    slaStage: 'repatriation_handover',
  });
  await d.step(a.jember, 'case.handover', 'repatriation/handover', { receivedBy: 'Dinsos Jember' }, 'follow_up');
  await d.step(a.jember, 'case.follow_up', 'follow-ups', { outcome: 'reunified' }, 'closed');
  return closed('reunified');
}

const drivers: Record<PathName, (d: CaseDriver) => Promise<Expected>> = {
  async upt_placement(d) {
    await d.intake(gelandangan(d.run.spec), 'identification');
    await d.step(
      d.a.dukcapil,
      'case.identification',
      'identification',
      { outcome: d.run.spec.variant, method: 'fingerprint' },
      'address_lookup',
    );
    return placeAndClose(d);
  },

  async repatriation(d) {
    const { nik } = d.run.spec.nik!;
    await d.intake(gelandangan(d.run.spec), 'identification');
    // Matched: the civil registry gives the home in Jember, and the case goes to repatriation by itself.
    await d.step(d.a.dukcapil, 'case.identification', 'identification', { outcome: 'matched', nik, method: 'face' }, 'repatriation', {
      slaStage: 'repatriation_departure',
    });
    return repatriateAndClose(d);
  },

  async medical_hold(d) {
    const { a } = d;
    await d.intake(gelandangan(d.run.spec, { needs: ['psychiatric'] }), 'health');
    await d.step(a.dinkes, 'case.health_referral', 'health/referral', { facilityType: 'rsj', facility: 'RSJ Menur Surabaya' }, 'health', {
      slaStage: 'health_discharge',
    });
    await d.step(a.dinkes, 'case.health_discharge', 'health/discharge', { notes: 'stabil' }, 'identification');
    await d.step(a.dukcapil, 'case.identification', 'identification', { outcome: 'not_matched', method: 'fingerprint' }, 'address_lookup');
    if (d.run.spec.variant === 'to_placement') return placeAndClose(d);
    await d.step(a.prov, 'case.address', 'address', { outcome: 'found', homeRegion: HOME_REGION }, 'repatriation');
    return repatriateAndClose(d);
  },

  async relay(d) {
    const { a } = d;
    const { variant } = d.run.spec;
    await d.intake(gelandangan(d.run.spec), 'identification');
    let legs: number;
    if (variant === 'registry') {
      await d.step(a.dukcapil, 'case.identification', 'identification', { outcome: 'matched', nik: d.run.spec.nik!.nik }, 'relay', {
        slaStage: 'relay_departure',
      });
      legs = 1; // Jawa Tengah is its own transit province
    } else {
      await d.step(a.dukcapil, 'case.identification', 'identification', { outcome: 'not_matched' }, 'address_lookup');
      // Sulawesi Selatan: one leg; Papua: via Sulawesi Selatan, two legs.
      const homeProvince = variant === 'one_leg' ? '73' : '91';
      await d.step(a.prov, 'case.address', 'address', { outcome: 'found', homeProvince }, 'relay', { slaStage: 'relay_departure' });
      legs = variant === 'one_leg' ? 1 : 2;
    }
    for (let leg = 1; leg <= legs; leg++) {
      await d.step(a.prov, 'case.relay_departure', 'relay/departure', { transport: 'KM Bukit Siguntang' }, 'relay', {
        slaStage: 'relay_handover',
      });
      await d.step(a.prov, 'case.relay_handover', 'relay/handover', { receivedBy: `Dinsos leg ${leg}` }, leg === legs ? 'closed' : 'relay');
    }
    return closed('relayed_home');
  },

  async bed_shortage(d) {
    const { a } = d;
    await d.intake({ ppksType: SHORTAGE_TYPE, person: { sex: 'F', estimatedAge: d.run.spec.age } }, 'identification');
    await d.step(a.dukcapil, 'case.identification', 'identification', { outcome: 'not_possible' }, 'address_lookup');
    const placed = await d.step(a.prov, 'case.address', 'address', { outcome: 'not_found' }, 'placement');
    if (placed.upt === null) return { label: 'waiting for a bed', status: 'open', stage: 'placement', upt: null, slaStage: 'placement' };
    if (placed.upt !== SHORTAGE_UPT) throw new Deviation(`bed reserved in ${placed.upt}, not ${SHORTAGE_UPT}`);
    await d.step(a.uptShortage, 'case.admission', 'placement/admission', {}, 'follow_up');
    return { label: 'admitted, in follow-up', status: 'open', stage: 'follow_up', upt: SHORTAGE_UPT };
  },

  async left_at_identification(d) {
    await d.intake({ ppksType: SHORT_SLA_TYPE, person: { sex: d.run.spec.sex, estimatedAge: d.run.spec.age } }, 'identification');
    // Nobody identifies: the 20-second SLA breaches and climbs to level 3.
    return {
      label: 'at identification, escalated to level 3',
      status: 'open',
      stage: 'identification',
      escalationLevel: 3,
      slaStage: 'identification',
    };
  },

  async left_at_address(d) {
    await d.intake(gelandangan(d.run.spec), 'identification');
    await d.step(d.a.dukcapil, 'case.identification', 'identification', { outcome: 'not_matched' }, 'address_lookup');
    return { label: 'at address lookup', status: 'open', stage: 'address_lookup', escalationLevel: 0, slaStage: 'address_lookup' };
  },

  async left_at_departure(d) {
    await d.intake(gelandangan(d.run.spec), 'identification');
    await d.step(d.a.dukcapil, 'case.identification', 'identification', { outcome: 'matched', nik: d.run.spec.nik!.nik }, 'repatriation');
    return {
      label: 'waiting for departure',
      status: 'open',
      stage: 'repatriation',
      escalationLevel: 0,
      slaStage: 'repatriation_departure',
    };
  },

  async closed_by_supervisor(d) {
    await d.intake(gelandangan(d.run.spec), 'identification');
    await d.step(d.a.dukcapil, 'case.identification', 'identification', { outcome: 'not_matched' }, 'address_lookup');
    await d.step(d.a.supervisor, 'case.close', 'close', { reason: 'family came to collect him' }, 'closed');
    return closed('closed_by_supervisor');
  },
};

/** Drives every case from its start time to its end; never rejects. */
export async function driveCases(specs: CaseSpec[], ctx: DriverContext, onFinished: (run: CaseRun) => void): Promise<CaseRun[]> {
  return Promise.all(
    specs.map(async (spec) => {
      const run: CaseRun = { spec, caseNumber: null, steps: [], expected: null, problem: null, finishedAtMs: null };
      await sleep(Math.max(0, ctx.startedAt + spec.startAtMs - Date.now()));
      try {
        run.expected = await drivers[spec.path](new CaseDriver(ctx, run));
      } catch (error) {
        run.problem = error instanceof Deviation ? error.message : `driver error: ${(error as Error).stack ?? error}`;
      }
      run.finishedAtMs = Date.now() - ctx.startedAt;
      onFinished(run);
      return run;
    }),
  );
}
