/**
 * Drives cases for the benchmark, two ways over the same workflow: through the HTTP API as an
 * agency does, and "bare", sending from this process exactly the Temporal messages the API would
 * send for the same request (update-with-start for intake, `executeUpdate` for a step), so that
 * the difference between the two is what the API adds. Every person is made up.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { addAgency, type NewAgency } from '../api/agencies.js';
import { openCaseWorkflow } from '../api/case-workflows.js';
import { requestHash } from '../api/request-hash.js';
import type { Actor } from '../domain/case.js';
import type { CaseView } from '../domain/case-view.js';
import { IntakeReport } from '../domain/schemas.js';
import { SLA_ZONE } from '../domain/sla.js';
import { STEPS, type StepInput, type StepName as CaseStepName } from '../domain/steps.js';
import { caseWorkflowId, stepUpdate, stepUpdateId } from '../workflows/messages.js';
import type { LocalStack } from '../scripts/local-stack.js';

interface Agency {
  apiKey: string;
  actor: Actor;
}

const AGENCIES = {
  satpol: { name: 'Bench Satpol PP Surabaya', role: 'satpol_pp', regionCode: '35.78' },
  dukcapil: { name: 'Bench Dispendukcapil', role: 'dukcapil' },
  prov: { name: 'Bench Dinsos Jatim', role: 'dinsos_prov' },
  jember: { name: 'Bench Dinsos Jember', role: 'dinsos_kabkota', regionCode: '35.09' },
  supervisor: { name: 'Bench Supervisor', role: 'supervisor' },
} satisfies Record<string, NewAgency>;

type AgencyName = keyof typeof AGENCIES;
export type Agencies = Record<AgencyName, Agency>;

export async function registerAgencies(stack: LocalStack): Promise<Agencies> {
  const entries = await Promise.all(
    Object.entries(AGENCIES).map(async ([name, agency]: [string, NewAgency]) => {
      const { agencyId, apiKey } = await addAgency(stack.pool, agency);
      const actor: Actor = { agencyId, role: agency.role as Actor['role'], regionCode: agency.regionCode ?? null, uptCode: null };
      return [name, { apiKey, actor }] as const;
    }),
  );
  return Object.fromEntries(entries) as Agencies;
}

/** A made-up person found at a Surabaya terminal (no name, no NIK: as in the first example of docs/agencies.md). */
function intakeBody(ppksType = 'gelandangan'): IntakeReport {
  return {
    ppksType,
    foundAt: DateTime.now().setZone(SLA_ZONE).minus({ hours: 1 }).toISO({ suppressMilliseconds: true })!,
    foundRegion: '35.78',
    foundPlace: 'Terminal Purabaya',
    person: { sex: Math.random() < 0.5 ? 'M' : 'F', estimatedAge: 20 + Math.floor(Math.random() * 50) },
  } as IntakeReport;
}

/** A step of the path: which step (domain/steps.ts), posted by which agency, with what body. */
interface PathStep<N extends CaseStepName> {
  step: N;
  agency: AgencyName;
  body: StepInput<N>;
}

const pathStep = <N extends CaseStepName>(spec: PathStep<N>) => spec;

/** The repatriation path (no NIK, family found in Jember): the steps after intake, in order. */
const PATH = {
  identification: pathStep({ step: 'recordIdentification', agency: 'dukcapil', body: { outcome: 'not_matched', method: 'fingerprint' } }),
  address: pathStep({ step: 'recordAddress', agency: 'prov', body: { outcome: 'found', homeRegion: '35.09' } }),
  departure: pathStep({ step: 'recordDeparture', agency: 'prov', body: { transport: 'bus Surabaya-Jember' } }),
  handover: pathStep({ step: 'recordHandover', agency: 'jember', body: { receivedBy: 'petugas Dinsos Jember' } }),
  /** Repeatable for as long as the case is open: the step throughput and latency runs post it. */
  visit: pathStep({ step: 'recordFollowUp', agency: 'jember', body: { outcome: 'stable' } }),
  closingVisit: pathStep({ step: 'recordFollowUp', agency: 'jember', body: { outcome: 'reunified' } }),
};

type StepName = keyof typeof PATH;
/** From intake to follow-up, where visits can be posted for ever. */
const TO_FOLLOW_UP: StepName[] = ['identification', 'address', 'departure', 'handover'];

export interface CaseDriver {
  readonly kind: 'api' | 'bare';
  /** Opens a case; resolves with its case number once intake is recorded. */
  intake(ppksType?: string): Promise<string>;
  step(caseNumber: string, name: StepName): Promise<void>;
}

/** Far beyond the API's own deadlines on Temporal: only a hung request reaches it. */
const REQUEST_TIMEOUT_MS = 120_000;

/** Through the HTTP API, with an Idempotency-Key on every request, as agencies are told to. */
export function apiDriver(stack: LocalStack, agencies: Agencies): CaseDriver {
  const post = async (agency: Agency, path: string, body: unknown): Promise<CaseView> => {
    const response = await fetch(`${stack.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agency.apiKey}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    // 202: accepted, but the workflow had not reacted within the API's deadline; a failure here.
    if (response.status !== 200 && response.status !== 201) throw new Error(`POST ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as CaseView;
  };
  return {
    kind: 'api',
    intake: async (ppksType) => (await post(agencies.satpol, '/v1/cases', intakeBody(ppksType))).caseNumber,
    step: async (caseNumber, name) => {
      const spec = PATH[name];
      await post(agencies[spec.agency], `/v1/cases/${caseNumber}/${STEPS[spec.step].path}`, spec.body);
    },
  };
}

/**
 * Straight to Temporal: the API's own update-with-start for intake, and for a step the Update the
 * API sends, with the same arguments and Update ID (but none of its HTTP, authentication, case
 * query, access log or repeat-client work). Case numbers come from a range the API's sequence
 * never reaches in a benchmark (900001 on), so the two never collide.
 */
export function bareDriver(stack: LocalStack, agencies: Agencies): CaseDriver {
  const year = DateTime.now().setZone(SLA_ZONE).year;
  let next = 900_000;
  return {
    kind: 'bare',
    async intake(ppksType) {
      const report = IntakeReport.parse(intakeBody(ppksType));
      const caseNumber = `${report.foundRegion.replace('.', '')}-${year}-${String(++next).padStart(6, '0')}`;
      const reportedBy = agencies.satpol.actor;
      const hash = requestHash('intake', reportedBy.agencyId, report).current;
      await openCaseWorkflow(
        stack.temporal,
        stack.taskQueue,
        { caseNumber, report, reportedBy, requestHash: hash },
        randomUUID(),
        randomUUID(),
      );
      return caseNumber;
    },
    async step(caseNumber, name) {
      const spec = PATH[name];
      const { action, body } = STEPS[spec.step];
      const input = body.parse(spec.body);
      const requestKey = randomUUID();
      const hash = requestHash(action.replace(/^case\./, ''), caseNumber, input).current;
      await stack.temporal.workflow.getHandle(caseWorkflowId(caseNumber)).executeUpdate(stepUpdate(spec.step), {
        args: [{ input, actor: agencies[spec.agency].actor, requestKey, requestHash: hash, requestId: randomUUID() }],
        updateId: stepUpdateId(requestKey, hash),
      });
    },
  };
}

/** Opens a case and takes it to follow-up, where visits can be posted for ever. */
export async function caseInFollowUp(driver: CaseDriver): Promise<string> {
  const caseNumber = await driver.intake();
  for (const name of TO_FOLLOW_UP) await driver.step(caseNumber, name);
  return caseNumber;
}

/** One whole case, intake to closure. */
export async function wholeLifecycle(driver: CaseDriver): Promise<void> {
  const caseNumber = await caseInFollowUp(driver);
  await driver.step(caseNumber, 'closingVisit');
}
