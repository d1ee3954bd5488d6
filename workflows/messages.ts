/**
 * The case workflow's messages, defined once: the workflow handles them, the API sends them.
 * Every step an agency posts is a Workflow Update whose validator rejects a step that is not
 * valid in the current stage (HTTP 409, nothing written to history).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, FollowUpOutcome, IntakeReport } from '../domain/case.js';
import type { CaseView } from '../domain/case-view.js';

export const WORKFLOW_TYPE = 'ppksCase';

export const caseWorkflowId = (caseNumber: string) => `case-${caseNumber}`;

/** What the workflow is started with. */
export interface CaseIntake {
  caseNumber: string;
  report: IntakeReport;
  reportedBy: Actor;
}

/** One agency step: the validated body, who posted it and a hash of the request for idempotency checks. */
export interface StepRequest<Input> {
  input: Input;
  actor: Actor;
  requestHash: string;
}

export interface IdentificationResult {
  outcome: 'matched' | 'not_matched' | 'not_possible';
  nik?: string;
  method?: 'fingerprint' | 'face' | 'iris';
}
export interface AddressResult {
  outcome: 'found' | 'not_found';
  homeRegion?: string;
  address?: string;
}
export interface Departure {
  departedAt?: string;
  transport?: string;
}
export interface Handover {
  receivedBy: string;
  receivedAt?: string;
}
export interface Admission {
  admittedAt?: string;
}
export interface FollowUpReport {
  outcome: FollowUpOutcome;
  visitedAt?: string;
  notes?: string;
}
export interface Closure {
  reason: string;
}

/** Sent with the start (update-with-start): returns the case view once intake is recorded. */
export const confirmIntake = defineUpdate<CaseView, [StepRequest<Record<string, never>>]>('confirmIntake');
export const recordIdentification = defineUpdate<CaseView, [StepRequest<IdentificationResult>]>('recordIdentification');
export const recordAddress = defineUpdate<CaseView, [StepRequest<AddressResult>]>('recordAddress');
export const recordDeparture = defineUpdate<CaseView, [StepRequest<Departure>]>('recordDeparture');
export const recordHandover = defineUpdate<CaseView, [StepRequest<Handover>]>('recordHandover');
export const recordAdmission = defineUpdate<CaseView, [StepRequest<Admission>]>('recordAdmission');
export const recordFollowUp = defineUpdate<CaseView, [StepRequest<FollowUpReport>]>('recordFollowUp');
export const closeCase = defineUpdate<CaseView, [StepRequest<Closure>]>('closeCase');

export const caseView = defineQuery<CaseView>('caseView');
/** The request hash an Update ID (Idempotency-Key) was first used with, or null. */
export const requestHashOf = defineQuery<string | null, [string]>('requestHashOf');

/** ApplicationFailure types the API maps to HTTP statuses. */
export const STEP_NOT_ALLOWED = 'StepNotAllowed';
export const IDEMPOTENCY_KEY_REUSED = 'IdempotencyKeyReused';
