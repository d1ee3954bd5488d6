/**
 * The mechanics of a UPT bed: reserving one (or rechecking while all are full), raising the
 * no-bed alert, and holding the reservation for the UPT to admit the person.
 */
import { condition, patched, workflowInfo } from '@temporalio/workflow';
import { activities } from './activities.js';
import { bedRequestOf, type CaseState, isClosed, recordStep } from './case-state.js';
import { continueAsNewIfLong } from './case-lifetime.js';
import { RESERVATION_LAPSE_PATCH } from './patches.js';
import { withinSla } from './sla-clock.js';

/** How long a reserved bed waits for the UPT to admit the person before it goes to the next case. */
const RESERVATION_HOLD = '3 days';

/** Null when a bed is reserved, else how long to wait before asking again. */
export async function reserveBed(c: CaseState): Promise<number | null> {
  const outcome = await activities.reserveBed(bedRequestOf(c));
  if (!outcome.reserved) return outcome.recheckAfterMs;
  // Kept even when the case was closed meanwhile, so that closing frees the bed.
  c.view.upt = outcome.uptCode;
  if (!isClosed(c)) recordStep(c, { outcome: 'bed_reserved', by: 'system', details: { upt: outcome.uptCode } });
  return null;
}

export async function waitForFreeBed(c: CaseState, recheckAfterMs: number): Promise<void> {
  let wait: number | null = recheckAfterMs;
  while (wait !== null) {
    await continueAsNewIfLong(c);
    if (await condition(() => isClosed(c), wait, { summary: 'recheck free UPT beds' })) return;
    wait = await reserveBed(c);
  }
}

export async function raiseNoBedAlert(c: CaseState): Promise<void> {
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

/**
 * The UPT admits within the hold, or the reservation lapses and the bed goes to the next case in
 * line (this case queues again). False when it lapsed.
 */
export async function admittedWhileHeld(c: CaseState): Promise<boolean> {
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
