/**
 * One PPKS case, from the Satpol PP report to closure (design section 2).
 *
 *   intake -> identification -> address_lookup -> repatriation -> follow_up -> closed
 *                                             \-> placement    -/
 *
 * Every wait runs an SLA clock (`withinSla`) that escalates while the step stalls.
 * A supervisor may close the case at any stage, override the clock or move the case on by
 * exception, and reopen it for a while after closure.
 */
import { allHandlersFinished, condition, patched, workflowInfo } from '@temporalio/workflow';
import type { Stage } from '../domain/case.js';
import { isRegionCode } from '../domain/regions.js';
import { acceptAgencySteps } from './agency-steps.js';
import { type CaseState, isClosed, moveTo, now, openCase, recordStep } from './case-state.js';
import type { CaseIntake } from './messages.js';
import { activities } from './activities.js';
import { publish, settle } from './publish.js';
import { withinSla } from './sla-clock.js';
import { acceptSupervisorOverrides } from './supervisor-overrides.js';

/** How long a closed case can still be reopened before its workflow completes. */
const REOPEN_WINDOW = '30 days';
/** Cases closed before reopening existed complete at once, as they did. */
export const REOPEN_WINDOW_PATCH = 'reopen-window';

export interface CaseOutcome {
  caseNumber: string;
  outcome: string;
  closedAt: string;
}

export async function ppksCase(intake: CaseIntake): Promise<CaseOutcome> {
  const c = openCase(intake, now(), workflowInfo().workflowId);
  acceptAgencySteps(c);
  acceptSupervisorOverrides(c);
  do {
    while (!isClosed(c)) await procedureFor[c.view.stage as Exclude<Stage, 'closed'>](c);
    await closeOut(c);
  } while (await reopenedInTime(c));
  await condition(allHandlersFinished);
  return { caseNumber: c.view.caseNumber, outcome: c.view.outcome!, closedAt: c.view.closedAt! };
}

const procedureFor: Record<Exclude<Stage, 'closed'>, (c: CaseState) => Promise<void>> = {
  identification,
  address_lookup: addressLookup,
  repatriation,
  placement,
  follow_up: followUp,
};

/** Dukcapil runs the biometric check: matched (with a NIK), not matched, or not possible. */
async function identification(c: CaseState): Promise<void> {
  await withinSla(c, 'identification', () => c.identified);
  if (!isClosed(c)) moveTo(c, 'address_lookup');
}

/** With a NIK the civil registry is asked first; otherwise Dinsos traces the family. */
async function addressLookup(c: CaseState): Promise<void> {
  const nik = c.view.person?.nik;
  if (nik) await askCivilRegistry(c, nik);
  if (!c.addressDecided) await withinSla(c, 'address_lookup', () => c.addressDecided);
  if (!isClosed(c)) moveTo(c, c.view.homeRegion ? 'repatriation' : 'placement');
}

/** Dinsos Jatim sends the person home; the home kab/kota Dinsos confirms the handover. */
async function repatriation(c: CaseState): Promise<void> {
  await withinSla(c, 'repatriation_departure', () => c.departed);
  if (isClosed(c)) return;
  await withinSla(c, 'repatriation_handover', () => c.handedOver);
  if (!isClosed(c)) moveTo(c, 'follow_up');
}

/** A bed is reserved in a UPT serving the PPKS type (waiting while all are full); the UPT admits. */
async function placement(c: CaseState): Promise<void> {
  const recheckAfterMs = await reserveBed(c);
  if (recheckAfterMs !== null && !isClosed(c)) {
    await raiseNoBedAlert(c);
    await Promise.all([withinSla(c, 'placement', () => c.view.upt !== null), waitForFreeBed(c, recheckAfterMs)]);
  }
  if (isClosed(c)) return;
  await withinSla(c, 'placement_admission', () => c.admitted);
  if (isClosed(c)) return;
  await activities.admitToBed(c.view.caseNumber);
  moveTo(c, 'follow_up');
}

/** The home Dinsos or the UPT reports visits until an outcome closes the case. */
async function followUp(c: CaseState): Promise<void> {
  while (!isClosed(c)) {
    const visitsSoFar = c.followUpVisits;
    await withinSla(c, 'follow_up', () => c.followUpVisits > visitsSoFar);
  }
}

async function closeOut(c: CaseState): Promise<void> {
  if (c.view.upt) await activities.releaseBed(c.view.caseNumber);
  await publish(c);
  settle(c);
}

/** A supervisor may reopen a closed case within the window; then it resumes where it was closed. */
async function reopenedInTime(c: CaseState): Promise<boolean> {
  if (!patched(REOPEN_WINDOW_PATCH)) return false;
  c.awaitingReopen = true;
  const reopened = await condition(() => c.reopened, REOPEN_WINDOW, { summary: 'reopening window' });
  c.awaitingReopen = false;
  c.reopened = false;
  return reopened;
}

// --- helpers -------------------------------------------------------------------------------

async function askCivilRegistry(c: CaseState, nik: string): Promise<void> {
  const domicile = await activities.findDomicile(nik);
  // An agency may have posted the address meanwhile, or a supervisor closed the case: that stands.
  // Homes outside East Java are left to Dinsos until the inter-province relay exists.
  if (!domicile || c.addressDecided || isClosed(c) || !isRegionCode(domicile.regionCode)) return;
  c.view.homeRegion = domicile.regionCode;
  c.view.address = domicile.address;
  c.addressDecided = true;
  recordStep(c, { outcome: 'found', by: 'system', details: { source: 'civil_registry', homeRegion: domicile.regionCode } });
}

/** Null when a bed is reserved, else how long to wait before asking again. */
async function reserveBed(c: CaseState): Promise<number | null> {
  const outcome = await activities.reserveBed({
    caseNumber: c.view.caseNumber,
    ppksType: c.view.ppksType,
    preferredRegion: c.view.foundRegion,
  });
  if (!outcome.reserved) return outcome.recheckAfterMs;
  // Kept even when the case was closed meanwhile, so that closing frees the bed.
  c.view.upt = outcome.uptCode;
  if (!isClosed(c)) recordStep(c, { outcome: 'bed_reserved', by: 'system', details: { upt: outcome.uptCode } });
  return null;
}

async function waitForFreeBed(c: CaseState, recheckAfterMs: number): Promise<void> {
  let wait: number | null = recheckAfterMs;
  while (wait !== null) {
    if (await condition(() => isClosed(c), wait, { summary: 'recheck free UPT beds' })) return;
    wait = await reserveBed(c);
  }
}

async function raiseNoBedAlert(c: CaseState): Promise<void> {
  await activities.raiseAlert({
    alertKey: `${workflowInfo().workflowId}/placement/no-bed`,
    kind: 'no_bed',
    caseNumber: c.view.caseNumber,
    stage: 'placement',
    step: 'placement',
    level: 0,
    recipientRole: 'dinsos_prov',
    regionCode: c.view.foundRegion,
    uptCode: null,
    dueAt: null,
  });
}
