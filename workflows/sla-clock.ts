/**
 * The SLA clock of one step: a durable timer per escalation rung. When a rung's time comes
 * and the step is still not done, the case is marked breached, climbs to that level and
 * exactly one alert goes to that rung's recipients. A late step is still accepted.
 *
 * Supervisors may pause the clock (paused time is left out), extend it, or hand the step to
 * another role; the clock then reschedules the rungs still to come.
 */
import { condition, workflowInfo } from '@temporalio/workflow';
import type { AlertRecipient, SlaStep } from '../domain/case.js';
import type { PlannedRung } from '../domain/sla.js';
import { type CaseState, currentStay, isClosed, now, type SlaClock, type StepOwner } from './case-state.js';
import { ownerOf } from './steps/index.js';
import { activities } from './activities.js';
import { publish, settle } from './publish.js';

/** Waits until `done()` or the case is closed, running the step's SLA clock meanwhile. */
export async function withinSla(c: CaseState, step: SlaStep, done: () => boolean): Promise<void> {
  const finished = () => done() || isClosed(c);
  if (finished()) return;
  // A clock still running at the start of its wait was carried over from the run before (continue-as-new).
  const clock = c.clock?.step === step ? c.clock : await startClock(c, step, finished);
  if (!clock) return;

  while (clock.fired < clock.plan.rungs.length) {
    const rung = clock.plan.rungs[clock.fired]!;
    if (await condition(() => finished() || overridden(clock), untilMs(rung.at), { summary: summaryOf(step, rung) })) {
      if (finished()) break;
      await applyOverrides(c, clock, finished);
      continue;
    }
    if (rung.kind === 'reminder') {
      // A reminder neither breaches nor escalates; an acknowledgement from the owner stops the rest.
      await activities.remindOwner({
        ...alertOf(c, clock, rung, `reminder-${rung.atPercent}`, 'sla_reminder'),
        clockKey: `${workflowInfo().workflowId}/sla-${clock.id}/`,
      });
      clock.fired++;
      continue;
    }
    // The alert is stored first: a case never shows a level whose alert is not in the inbox.
    await activities.raiseAlert(alertOf(c, clock, rung, `level-${rung.level}`, 'sla_breach'));
    if (finished()) break; // closed or done while the alert was stored
    clock.fired++;
    const stay = currentStay(c);
    if (stay) stay.breached = true;
    c.view.sla = { ...c.view.sla!, breached: true };
    c.view.escalationLevel = rung.level;
    await publish(c);
    settleUnless(c, finished);
  }
  // Every rung has fired: overrides still show, nothing is left to reschedule.
  while (!finished()) {
    await condition(() => finished() || overridden(clock));
    if (!finished()) await applyOverrides(c, clock, finished);
  }
  if (c.clock === clock) c.clock = null;
}

/** Reads the policy in force and starts the step's clock; null when the step came in meanwhile. */
async function startClock(c: CaseState, step: SlaStep, finished: () => boolean): Promise<SlaClock | null> {
  const owner = ownerOf(c, step);
  const id = ++c.slaClocks;
  const startedAt = now();
  const plan = await activities.planSlaClock({
    step,
    stageEnteredAt: startedAt,
    caseOpenedAt: c.view.openedAt,
    ownerRole: owner.role,
    ppksType: c.view.ppksType,
  });
  // The step came in, or the case was closed, while the policy was read: the next stage takes over.
  if (finished()) return null;
  const clock: SlaClock = {
    id,
    step,
    startedAt,
    plan,
    owner,
    fired: 0,
    pausedAt: null,
    pausedMs: 0,
    changes: 0,
    changesApplied: 0,
    pendingShifts: [],
    appliedShifts: [],
    replan: false,
  };
  c.clock = clock;
  const stay = currentStay(c);
  if (stay && stay.ownerRole === null) stay.ownerRole = owner.role;
  c.view.ownerRole = owner.role;
  c.view.waitingFor = owner.waitingFor;
  c.view.sla = { stage: step, dueAt: plan.dueAt, breached: false, policyVersion: plan.policyVersion };
  c.view.escalationLevel = 0;
  await publish(c);
  settleUnless(c, finished);
  return clock;
}

/**
 * Reacts to a supervisor's override: shows it, waits out a pause, and moves the due time and
 * the rungs still to come (in the policy's calendar) after a resume or an extension.
 */
async function applyOverrides(c: CaseState, clock: SlaClock, finished: () => boolean): Promise<void> {
  clock.changesApplied = clock.changes;
  while (clock.pausedAt !== null && !finished()) {
    await publish(c);
    settleUnless(c, finished);
    await condition(() => finished() || clock.changes !== clock.changesApplied);
    clock.changesApplied = clock.changes;
  }
  if (finished()) return;
  if (clock.replan) await replan(c, clock);
  if (clock.pendingShifts.length > 0) {
    const shifts = clock.pendingShifts.splice(0);
    clock.plan = await activities.shiftSlaPlan({ plan: clock.plan, firedRungs: clock.fired, ownerRole: clock.owner.role, shifts });
    clock.appliedShifts.push(...shifts);
  }
  if (finished()) return;
  const { dueAt, policyVersion } = clock.plan;
  c.view.sla = { ...c.view.sla!, dueAt, policyVersion, breached: c.view.escalationLevel > 0 && Date.now() >= new Date(dueAt).getTime() };
  // The override is answered once the clock shows it.
  await publish(c);
  settleUnless(c, finished);
}

/**
 * Puts a running clock under the policy now in force, counted from the clock's start with the
 * pauses and extensions it had. Rungs already behind it (escalations up to the level reached,
 * reminders whose time has passed) count as fired: none is raised twice.
 */
async function replan(c: CaseState, clock: SlaClock): Promise<void> {
  clock.replan = false;
  const fresh = await activities.replanSlaClock({
    step: clock.step,
    ppksType: c.view.ppksType,
    ownerRole: clock.owner.role,
    clockStartedAt: clock.startedAt,
    caseOpenedAt: c.view.openedAt,
  });
  const shifts = clock.appliedShifts;
  const plan = shifts.length ? await activities.shiftSlaPlan({ plan: fresh, firedRungs: 0, ownerRole: clock.owner.role, shifts }) : fresh;
  const behind = plan.rungs.findIndex((rung) =>
    rung.kind === 'reminder' ? Date.now() < new Date(rung.at).getTime() : rung.level > c.view.escalationLevel,
  );
  clock.plan = plan;
  clock.fired = behind === -1 ? plan.rungs.length : behind;
}

/** A supervisor changed the clock since the loop last looked, or it stands paused. */
function overridden(clock: SlaClock): boolean {
  return clock.changes !== clock.changesApplied || clock.pausedAt !== null;
}

/** A step that arrived meanwhile is answered only once the next stage has been entered. */
function settleUnless(c: CaseState, finished: () => boolean): void {
  if (!finished()) settle(c);
}

function summaryOf(step: SlaStep, rung: PlannedRung): string {
  if (rung.kind === 'reminder') return `reminder at ${rung.atPercent} % of SLA ${step}`;
  return rung.level === 1 ? `SLA ${step}` : `escalation level ${rung.level} (${rung.recipient})`;
}

/** The alert of a rung: keyed per clock and rung, so each is stored once however often it is retried. */
function alertOf(c: CaseState, clock: SlaClock, rung: PlannedRung, name: string, kind: 'sla_breach' | 'sla_reminder') {
  return {
    alertKey: `${workflowInfo().workflowId}/sla-${clock.id}/${clock.step}/${name}`,
    kind,
    caseNumber: c.view.caseNumber,
    stage: c.view.stage,
    step: clock.step,
    level: rung.level,
    ...recipientOf(c, clock.owner, rung.recipient),
    dueAt: clock.plan.dueAt,
  };
}

function recipientOf(c: CaseState, owner: StepOwner, recipient: AlertRecipient) {
  if (recipient !== 'owner') return { recipientRole: recipient, regionCode: null, uptCode: null };
  return {
    recipientRole: owner.role,
    regionCode: owner.role === 'dinsos_kabkota' ? c.view.homeRegion : null,
    uptCode: owner.role === 'upt' ? c.view.upt : null,
  };
}

/** Milliseconds until an instant; at least 1 so a rung already due still fires through a timer. */
function untilMs(instant: string): number {
  return Math.max(1, new Date(instant).getTime() - Date.now());
}
