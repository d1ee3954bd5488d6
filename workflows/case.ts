/**
 * One PPKS case, from the Satpol PP report to closure (design section 2).
 *
 *   intake -> [health] -> identification -> address_lookup -> repatriation -> follow_up -> closed
 *                                                      |-> placement    -/
 *                                                      \-> relay (another province) -> closed
 *
 * A person flagged psychiatric or medical is first referred to an RSJ or hospital (health).
 *
 * Every wait runs an SLA clock (`withinSla`) that escalates while the step stalls.
 * A supervisor may close the case at any stage, override the clock or move the case on by
 * exception, and reopen it for a while after closure.
 */
import { allHandlersFinished, condition, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import { needsHealthHold, type Stage } from '../domain/case.js';
import { isRegionCode } from '../domain/regions.js';
import { acceptAgencySteps } from './agency-steps.js';
import { bedRequestOf, type CaseState, close, isClosed, moveTo, now, openCase, recordStep, startIn } from './case-state.js';
import { isOtherProvince, type ProvinceCode, relayLegs } from '../domain/provinces.js';
import { acceptRelaySteps } from './relay-steps.js';
import { acceptUptTransfers } from './upt-transfer.js';
import { acceptHealthSteps } from './health-steps.js';
import type { CaseIntake } from './messages.js';
import { activities } from './activities.js';
import { publish, settle } from './publish.js';
import { withinSla } from './sla-clock.js';
import { acceptSupervisorOverrides } from './supervisor-overrides.js';

/** How long a closed case can still be reopened before its workflow completes. */
const REOPEN_WINDOW = '30 days';
/** Cases closed before reopening existed complete at once, as they did. */
export const REOPEN_WINDOW_PATCH = 'reopen-window';
/** Well under Temporal's 4,096-event suggestion: a run stays quick to replay. */
const HISTORY_LIMIT = 400;
/** Cases whose history grew long before continue-as-new existed go on in one run, as they did. */
export const CONTINUE_AS_NEW_PATCH = 'continue-as-new';
/** How long a reserved bed waits for the UPT to admit the person before it goes to the next case. */
const RESERVATION_HOLD = '3 days';
/** Reservations made before holds existed wait for admission indefinitely, as they did. */
export const RESERVATION_LAPSE_PATCH = 'reservation-lapse';
/** Cases whose registry answer came before the relay existed wait for Dinsos, as they did. */
export const RELAY_PATCH = 'inter-province-relay';
/** Cases opened before the health step existed go straight to identification, as they did. */
export const MEDICAL_HOLD_PATCH = 'medical-hold';

export interface CaseOutcome {
  caseNumber: string;
  outcome: string;
  closedAt: string;
}

/** `carried`: the state of the run before, when a long case continued as new. */
export async function ppksCase(intake: CaseIntake, carried?: CaseState): Promise<CaseOutcome> {
  const c = carried ?? openCase(intake, now(), workflowInfo().workflowId);
  acceptAgencySteps(c);
  acceptHealthSteps(c);
  acceptRelaySteps(c);
  acceptUptTransfers(c);
  acceptSupervisorOverrides(c);
  if (!carried && needsHealthHold(c.view.needs) && patched(MEDICAL_HOLD_PATCH)) startIn(c, 'health');
  do {
    while (!isClosed(c)) await procedureFor[c.view.stage as Exclude<Stage, 'closed'>](c);
    await closeOut(c);
  } while (await reopenedInTime(c));
  await condition(allHandlersFinished);
  return { caseNumber: c.view.caseNumber, outcome: c.view.outcome!, closedAt: c.view.closedAt! };
}

const procedureFor: Record<Exclude<Stage, 'closed'>, (c: CaseState) => Promise<void>> = {
  health,
  identification,
  address_lookup: addressLookup,
  repatriation,
  relay,
  placement,
  follow_up: followUp,
};

/** Dinkes refers the person to an RSJ or hospital, then reports the discharge. */
async function health(c: CaseState): Promise<void> {
  await withinSla(c, 'health_referral', () => c.referredForHealth);
  if (isClosed(c)) return;
  await withinSla(c, 'health_discharge', () => c.dischargedFromHealth);
  if (!isClosed(c)) moveTo(c, 'identification');
}

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
  if (!isClosed(c)) moveTo(c, c.view.homeRegion ? 'repatriation' : c.view.homeProvince ? 'relay' : 'placement');
}

/** Dinsos Jatim sends the person home; the home kab/kota Dinsos confirms the handover. */
async function repatriation(c: CaseState): Promise<void> {
  await withinSla(c, 'repatriation_departure', () => c.departed);
  if (isClosed(c)) return;
  await withinSla(c, 'repatriation_handover', () => c.handedOver);
  if (!isClosed(c)) moveTo(c, 'follow_up');
}

/**
 * Home is in another province: Dinsos Jatim sends the person to the transit province's Dinsos,
 * which sends them on home (unless that is home already). Each leg: departure, then handover.
 */
async function relay(c: CaseState): Promise<void> {
  const legs = relayLegs(c.view.homeProvince as ProvinceCode).length;
  while (c.relayHandovers < legs && !isClosed(c)) {
    const leg = c.relayHandovers;
    await withinSla(c, 'relay_departure', () => c.relayDepartures > leg);
    if (isClosed(c)) return;
    await withinSla(c, 'relay_handover', () => c.relayHandovers > leg);
  }
  if (isClosed(c)) return;
  // East Java's part ends at the last handover: follow-up belongs to the home province.
  recordStep(c, { outcome: 'relayed_home', by: 'system', details: { homeProvince: c.view.homeProvince! } });
  close(c);
}

/**
 * A case can live for years (a UPT stay with monthly visits): past HISTORY_LIMIT events, or when
 * Temporal suggests it, the case goes on in a new run with its whole state, its SLA clock and
 * the requests it has processed. Only between steps, with no handler running.
 */
async function continueAsNewIfLong(c: CaseState): Promise<void> {
  const info = workflowInfo();
  if (!(info.continueAsNewSuggested || info.historyLength > HISTORY_LIMIT) || !patched(CONTINUE_AS_NEW_PATCH)) return;
  // A step waiting for the reaction gets its answer now: the reaction comes in the new run.
  settle(c);
  await condition(allHandlersFinished);
  await continueAsNew<typeof ppksCase>(c.intake, c);
}

/** A bed is reserved in a UPT serving the PPKS type (waiting while all are full); the UPT admits. */
async function placement(c: CaseState): Promise<void> {
  do {
    const recheckAfterMs = await reserveBed(c);
    if (recheckAfterMs !== null && !isClosed(c)) {
      await raiseNoBedAlert(c);
      await Promise.all([withinSla(c, 'placement', () => c.view.upt !== null), waitForFreeBed(c, recheckAfterMs)]);
    }
    if (isClosed(c)) return;
  } while (!(await admittedWhileHeld(c)));
  if (isClosed(c)) return;
  await activities.admitToBed(c.view.caseNumber);
  moveTo(c, 'follow_up');
}

/** The home Dinsos or the UPT reports visits until an outcome closes the case. */
async function followUp(c: CaseState): Promise<void> {
  while (!isClosed(c)) {
    await continueAsNewIfLong(c);
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
  if (!domicile || c.addressDecided || isClosed(c)) return;
  const province = domicile.regionCode.slice(0, 2);
  if (isRegionCode(domicile.regionCode)) {
    c.view.homeRegion = domicile.regionCode;
    recordStep(c, { outcome: 'found', by: 'system', details: { source: 'civil_registry', homeRegion: domicile.regionCode } });
  } else if (isOtherProvince(province) && patched(RELAY_PATCH)) {
    c.view.homeProvince = province;
    recordStep(c, { outcome: 'found', by: 'system', details: { source: 'civil_registry', homeProvince: province } });
  } else {
    return; // before the relay existed, homes outside East Java were left to Dinsos
  }
  c.view.address = domicile.address;
  c.addressDecided = true;
}

/**
 * The UPT admits within the hold, or the reservation lapses and the bed goes to the next case in
 * line (this case queues again). False when it lapsed.
 */
async function admittedWhileHeld(c: CaseState): Promise<boolean> {
  if (!patched(RESERVATION_LAPSE_PATCH)) {
    await withinSla(c, 'placement_admission', () => c.admitted);
    return true;
  }
  await Promise.all([withinSla(c, 'placement_admission', () => c.admitted || c.view.upt === null), lapseUnlessAdmitted(c)]);
  return c.view.upt !== null || isClosed(c);
}

async function lapseUnlessAdmitted(c: CaseState): Promise<void> {
  if (await condition(() => c.admitted || isClosed(c), RESERVATION_HOLD, { summary: 'bed held for admission' })) return;
  const upt = c.view.upt!;
  c.lapsing = true; // refuses an admission while the bed is given up
  await activities.releaseBed(c.view.caseNumber);
  c.lapsing = false;
  c.view.upt = null;
  recordStep(c, { outcome: 'reservation_lapsed', by: 'system', details: { upt } });
}

/** Null when a bed is reserved, else how long to wait before asking again. */
async function reserveBed(c: CaseState): Promise<number | null> {
  const outcome = await activities.reserveBed(bedRequestOf(c));
  if (!outcome.reserved) return outcome.recheckAfterMs;
  // Kept even when the case was closed meanwhile, so that closing frees the bed.
  c.view.upt = outcome.uptCode;
  if (!isClosed(c)) recordStep(c, { outcome: 'bed_reserved', by: 'system', details: { upt: outcome.uptCode } });
  return null;
}

async function waitForFreeBed(c: CaseState, recheckAfterMs: number): Promise<void> {
  let wait: number | null = recheckAfterMs;
  while (wait !== null) {
    await continueAsNewIfLong(c);
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
