/**
 * One PPKS case, from the Satpol PP report to closure: the procedure of docs/design.md,
 * stage by stage.
 *
 *   intake -> [health] -> identification -> address_lookup -> repatriation -> follow_up -> closed
 *                                                      |-> placement    -/
 *                                                      \-> relay (another province) -> closed
 *
 * A person flagged psychiatric or medical is first referred to an RSJ or hospital (health).
 *
 * Every wait runs an SLA clock (`withinSla`) that escalates while the step stalls.
 * A supervisor may close the case at any stage, override the clock or move the case on by
 * exception, and reopen it for a while after closure. The steps agencies post are handled in
 * workflows/steps/; the bed mechanics are in workflows/beds.ts.
 */
import { allHandlersFinished, condition, patched, workflowInfo } from '@temporalio/workflow';
import { needsHealthHold, type Stage } from '../domain/case.js';
import { type ProvinceCode, relayLegs } from '../domain/provinces.js';
import { activities } from './activities.js';
import { admittedWhileHeld, raiseNoBedAlert, reserveBed, waitForFreeBed } from './beds.js';
import { closeOut, continueAsNewIfLong, reopenedInTime } from './case-lifetime.js';
import { type CaseState, close, isClosed, moveTo, now, openCase, recordStep, startIn } from './case-state.js';
import { askCivilRegistry } from './civil-registry.js';
import type { CaseIntake } from './messages.js';
import { MEDICAL_HOLD_PATCH } from './patches.js';
import { withinSla } from './sla-clock.js';
import { acceptMessages } from './steps/index.js';

export interface CaseOutcome {
  caseNumber: string;
  outcome: string;
  closedAt: string;
}

/** `carried`: the state of the run before, when a long case continued as new. */
export async function ppksCase(intake: CaseIntake, carried?: CaseState): Promise<CaseOutcome> {
  const c = carried ?? openCase(intake, now(), workflowInfo().workflowId);
  acceptMessages(c);
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

/** DP3AK (role dukcapil) runs the biometric check: matched (with a NIK), not matched, or not possible. */
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
