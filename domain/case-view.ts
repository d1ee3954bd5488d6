/**
 * The case view (shape in `domain/schemas.ts`): what GET and every step POST return.
 * Lists, the case index and search attributes carry only the fields named safe below: every
 * field of the view is classified here, so a new field is a compile error until someone decides,
 * and a field not marked `listed` never leaves the full view of one case.
 */
import type { CaseStep, CaseView, MaskedPerson, Person } from './schemas.js';
import { regionLabel } from './regions.js';

export type { CaseStep, CaseView, StageStay } from './schemas.js';

type Disclosure = 'listed' | 'private';

/** Which fields of the case view a list may show. `person` is shown in lists only as `personMasked`. */
export const CASE_VIEW_FIELDS = {
  caseNumber: 'listed',
  workflowId: 'listed',
  status: 'listed',
  stage: 'listed',
  ppksType: 'listed',
  foundRegion: 'listed',
  homeRegion: 'listed',
  homeProvince: 'listed',
  upt: 'listed',
  openedAt: 'listed',
  closedAt: 'listed',
  outcome: 'listed',
  ownerRole: 'listed',
  waitingFor: 'listed',
  sla: 'listed',
  slaPausedMs: 'listed',
  stays: 'listed',
  escalationLevel: 'listed',
  steps: 'listed',
  // Health: who was flagged psychiatric or medical is for the full view of one case (logged), not lists.
  needs: 'private',
  personMasked: 'listed',
  person: 'private',
  foundAt: 'private',
  foundPlace: 'private',
  address: 'private',
  notes: 'private',
} as const satisfies Record<keyof CaseView, Disclosure>;

/** Which fields of a step a list may show: remarks are free text (names of officers, notes). */
export const CASE_STEP_FIELDS = {
  stage: 'listed',
  outcome: 'listed',
  by: 'listed',
  at: 'listed',
  // Codes, but also a facility's name and free-text transport: in the full view only.
  details: 'private',
  remarks: 'private',
} as const satisfies Record<keyof CaseStep, Disclosure>;

/** The view as lists and the case index carry it: the listed fields, and the person masked. */
export function withoutPersonalData(view: CaseView): CaseView {
  const listed = keepListed(view, CASE_VIEW_FIELDS);
  return { ...listed, steps: view.steps.map((step) => keepListed(step, CASE_STEP_FIELDS)), personMasked: maskPerson(view.person) };
}

function keepListed<T extends object>(record: T, fields: Record<keyof T, Disclosure>): T {
  return Object.fromEntries(Object.entries(record).filter(([key]) => fields[key as keyof T] === 'listed')) as T;
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
