/**
 * A case's state inside the workflow: plain JSON, and the transitions every stage uses.
 */
import { jakartaTime, type Role, type SlaStep, type Stage } from '../domain/case.js';
import { type ProvinceCode, relayLegs } from '../domain/provinces.js';
import type { CaseStep, CaseView, StageStay } from '../domain/case-view.js';
import type { SlaPlan } from '../domain/sla.js';
import type { SlaShift } from '../domain/sla-shift.js';
import type { CaseIntake } from './messages.js';
import { AGENCY_STEPS_AT_OPENING, type AgencyStepsTaken } from './steps/agency-steps.js';
import { HEALTH_STEPS_AT_OPENING, type HealthStepsTaken } from './steps/health-steps.js';
import { RELAY_STEPS_AT_OPENING, type RelayStepsTaken } from './steps/relay-steps.js';

/** With what the steps have recorded, declared beside each step's rules in workflows/steps/. */
export interface CaseState extends HealthStepsTaken, AgencyStepsTaken, RelayStepsTaken {
  /** What the case was opened with: the first argument of every run. */
  intake: CaseIntake;
  view: CaseView;
  /** While a lapsed reservation's bed is being given up, or the bed moved to another UPT. */
  lapsing: boolean;
  transferring: boolean;
  intakeRequestHash: string;
  /** Idempotency-Key of each step -> hash of the request first sent with it. */
  requestHashes: Record<string, string>;
  /** SLA clocks started so far: part of every alert key, so each clock alerts once per level. */
  slaClocks: number;
  /** The SLA clock now running, which supervisors' overrides act on. */
  clock: SlaClock | null;
  /** While the closed case's workflow still accepts a reopening, and whether one came. */
  awaitingReopen: boolean;
  reopened: boolean;
  /** Bumped on every change; the case index keeps only the newest revision. */
  revision: number;
  /** The revision the workflow has finished reacting to: step responses wait for it. */
  settledRevision: number;
}

export function openCase(intake: CaseIntake, now: string, workflowId: string): CaseState {
  const { report, reportedBy } = intake;
  return {
    intake,
    view: {
      caseNumber: intake.caseNumber,
      workflowId,
      status: 'open',
      stage: 'identification',
      ppksType: report.ppksType,
      foundRegion: report.foundRegion,
      homeRegion: null,
      upt: null,
      openedAt: now,
      closedAt: null,
      outcome: null,
      ownerRole: null,
      waitingFor: null,
      sla: null,
      escalationLevel: 0,
      steps: [{ stage: 'intake', outcome: 'reported', by: reportedBy.agencyId, at: now, details: { role: reportedBy.role } }],
      stays: [{ stage: 'identification', enteredAt: now, leftAt: null, ownerRole: null, breached: false, pausedMs: 0 }],
      needs: report.needs ?? [],
      person: report.person,
      foundAt: report.foundAt,
      foundPlace: report.foundPlace,
      address: null,
      notes: report.notes,
    },
    ...HEALTH_STEPS_AT_OPENING,
    ...AGENCY_STEPS_AT_OPENING,
    ...RELAY_STEPS_AT_OPENING,
    lapsing: false,
    transferring: false,
    intakeRequestHash: intake.requestHash,
    requestHashes: {},
    slaClocks: 0,
    clock: null,
    awaitingReopen: false,
    reopened: false,
    revision: 0,
    settledRevision: 0,
  };
}

/** Workflow time (deterministic on replay), as shown to agencies. */
export function now(): string {
  return jakartaTime(Date.now());
}

/** Records a step in the current stage, at the current workflow time. */
export function recordStep(c: CaseState, step: Omit<CaseStep, 'stage' | 'at'>): void {
  c.view.steps.push({ stage: c.view.stage, at: now(), ...step });
  c.revision++;
}

export function moveTo(c: CaseState, stage: Stage): void {
  leaveStage(c);
  if (stage !== 'closed') enterStage(c, stage);
  c.view.stage = stage;
  c.view.sla = null;
  c.view.escalationLevel = 0;
  c.revision++;
}

/** Begins the procedure in another stage than identification (the stay opened with the case is replaced). */
export function startIn(c: CaseState, stage: Stage): void {
  c.view.stage = stage;
  c.view.stays = [{ ...c.view.stays![0]!, stage }];
}

/** Starts a stay in a stage (at opening, on moving on, on reopening). */
export function enterStage(c: CaseState, stage: Stage): void {
  (c.view.stays ??= []).push({ stage, enteredAt: now(), leftAt: null, ownerRole: null, breached: false, pausedMs: 0 });
}

/** The stay in the current stage, if the case is in one. */
export function currentStay(c: CaseState): StageStay | undefined {
  const stay = c.view.stays?.at(-1);
  return stay && stay.leftAt === null ? stay : undefined;
}

function leaveStage(c: CaseState): void {
  const stay = currentStay(c);
  if (stay) stay.leftAt = now();
}

export function isClosed(c: CaseState): boolean {
  return c.view.status === 'closed';
}

/** Closes on the step just recorded: its outcome becomes the case's outcome. */
export function close(c: CaseState): void {
  const closing = c.view.steps.at(-1)!;
  c.view.outcome = closing.outcome;
  c.view.closedAt = closing.at;
  c.view.status = 'closed';
  moveTo(c, 'closed');
  c.view.ownerRole = null;
  c.view.waitingFor = null;
}

/** What placing the person asks of a UPT: the type, their class and needs, where they were found. */
export function bedRequestOf(c: CaseState) {
  return {
    caseNumber: c.view.caseNumber,
    ppksType: c.view.ppksType,
    preferredRegion: c.view.foundRegion,
    sex: c.view.person?.sex,
    estimatedAge: c.view.person?.estimatedAge,
    // A medical need is treated in the health step; a psychiatric one needs a UPT serving it (Bina Laras).
    needs: c.view.needs.filter((need) => need !== 'medical' || !c.dischargedFromHealth),
  };
}

/** Where the relay leg now under way goes. */
export function currentLeg(c: CaseState): string {
  const legs = relayLegs(c.view.homeProvince as ProvinceCode);
  return legs[Math.min(c.relayHandovers, legs.length - 1)]!.to;
}

export interface SlaClock {
  id: number;
  step: SlaStep;
  startedAt: string;
  plan: SlaPlan;
  owner: StepOwner;
  /** Rungs whose alert has been raised. */
  fired: number;
  pausedAt: string | null;
  pausedMs: number;
  /** Overrides posted, and how many of them the clock has reacted to. */
  changes: number;
  changesApplied: number;
  /** Resumes and extensions waiting to move the due time and the rungs still to come. */
  pendingShifts: SlaShift[];
  /** Those already applied: a policy rolled out to the running clock keeps them. */
  appliedShifts: SlaShift[];
  /** A supervisor rolled the policy now in force out to this clock. */
  replan: boolean;
}

/** Who is waited on in a step, and for what: shown in the UI and used to address alerts. */
export interface StepOwner {
  role: Role;
  waitingFor: string;
}
