/**
 * The case view of api-v1.md: what GET and every step POST return.
 * `person`, `address`, `foundPlace`, `notes` and step remarks are personal data: they are only in
 * the full view of one case, never in the case index, search attributes or logs.
 */
import type { Need, Person, Role, SlaStep, Stage } from './case.js';
import { regionLabel } from './regions.js';

export interface CaseStep {
  stage: Stage | 'intake';
  outcome: string;
  /** Agency ID, or `system` for what the workflow did by itself. */
  by: string;
  at: string;
  /** Codes and times only (method, transport, UPT, home region). */
  details?: Record<string, string>;
  /** Free text from the agency (names of officers, notes): personal data. */
  remarks?: string;
}

/** One stay in a stage, for the time-per-stage and breach statistics. */
export interface StageStay {
  stage: Stage;
  enteredAt: string;
  leftAt: string | null;
  /** The role that owned the stay's first SLA clock. */
  ownerRole: Role | null;
  breached: boolean;
  pausedMs: number;
}

export interface SlaStatus {
  stage: SlaStep;
  dueAt: string;
  breached: boolean;
  policyVersion: number;
  /** Set while a supervisor has stopped the clock (waiting on a third party). */
  pausedSince?: string | null;
  /** Time this clock stood paused so far, left out of the SLA. */
  pausedMs?: number;
}

export interface CaseView {
  caseNumber: string;
  workflowId: string;
  status: 'open' | 'closed';
  stage: Stage;
  ppksType: string;
  foundRegion: string;
  homeRegion: string | null;
  /** A home in another province (Kemendagri province code): the case goes home by relay. */
  homeProvince?: string | null;
  upt: string | null;
  openedAt: string;
  closedAt: string | null;
  /** The outcome that closed the case (reunified, independent, closed_by_supervisor, ...). */
  outcome: string | null;
  ownerRole: Role | null;
  /** One line, no personal data: what the case waits for now. */
  waitingFor: string | null;
  sla: SlaStatus | null;
  /** Paused SLA time over the whole case, reported apart from the time the steps took. */
  slaPausedMs?: number;
  /** Every stay in a stage, in order (a reopened case re-enters one). */
  stays?: StageStay[];
  escalationLevel: number;
  steps: CaseStep[];
  needs: Need[];
  person?: Person;
  foundAt?: string;
  foundPlace?: string;
  address?: string | null;
  notes?: string;
  /** In lists only, instead of `person`: minimum disclosure to tell cases apart. */
  personMasked?: MaskedPerson;
}

export interface MaskedPerson {
  /** "Budi Santoso" -> "B. S." */
  initials: string | null;
  nikLast4: string | null;
  sex: Person['sex'];
  estimatedAge: number | null;
}

/** The view without personal data (the person masked), for the case index and lists. */
export function withoutPersonalData(view: CaseView): CaseView {
  const { person, foundPlace: _place, address: _address, notes: _notes, ...rest } = view;
  return { ...rest, steps: rest.steps.map(({ remarks: _remarks, ...step }) => step), personMasked: maskPerson(person) };
}

function maskPerson(person: Person | undefined): MaskedPerson {
  const words = person?.name?.trim().split(/\s+/).filter(Boolean) ?? [];
  return {
    initials: words.length
      ? words
          .slice(0, 4)
          .map((word) => `${word[0]!.toUpperCase()}.`)
          .join(' ')
      : null,
    nikLast4: person?.nik?.slice(-4) ?? null,
    sex: person?.sex ?? 'unknown',
    estimatedAge: person?.estimatedAge ?? null,
  };
}

/** The Temporal UI's one-line summary of a case, fixed at start: no personal data. */
export function caseSummary(ppksType: string, foundRegion: string, reportedByRole: string): string {
  return `PPKS ${ppksType} found in ${regionLabel(foundRegion)}, reported by ${reportedByRole}`;
}
