/**
 * The SLA clock of one step: a durable timer per escalation rung. When a rung's time comes
 * and the step is still not done, the case is marked breached, climbs to that level and
 * exactly one alert goes to that rung's recipients. A late step is still accepted.
 */
import { condition, workflowInfo } from '@temporalio/workflow';
import type { AlertRecipient, SlaStep } from '../domain/case.js';
import { type CaseState, isClosed, now, ownerOf, type StepOwner } from './case-state.js';
import { activities } from './activities.js';
import { publish, settle } from './publish.js';

/** Waits until `done()` or the case is closed, running the step's SLA clock meanwhile. */
export async function withinSla(c: CaseState, step: SlaStep, done: () => boolean): Promise<void> {
  const finished = () => done() || isClosed(c);
  if (finished()) return;
  const owner = ownerOf(c, step);
  const clock = ++c.slaClocks;
  const plan = await activities.planSlaClock({
    step,
    stageEnteredAt: now(),
    caseOpenedAt: c.view.openedAt,
  });
  // The step came in, or the case was closed, while the policy was read: the next stage takes over.
  if (finished()) return;
  c.view.ownerRole = owner.role;
  c.view.waitingFor = owner.waitingFor;
  c.view.sla = { stage: step, dueAt: plan.dueAt, breached: false, policyVersion: plan.policyVersion };
  c.view.escalationLevel = 0;
  await publish(c);
  settleUnless(c, finished);

  for (const rung of plan.rungs) {
    const summary = rung.level === 1 ? `SLA ${step}` : `escalation level ${rung.level} (${rung.recipient})`;
    if (await condition(finished, untilMs(rung.at), { summary })) return;
    // The alert is stored first: a case never shows a level whose alert is not in the inbox.
    await activities.raiseAlert({
      alertKey: `${workflowInfo().workflowId}/sla-${clock}/${step}/level-${rung.level}`,
      kind: 'sla_breach',
      caseNumber: c.view.caseNumber,
      stage: c.view.stage,
      step,
      level: rung.level,
      ...recipientOf(c, owner, rung.recipient),
      dueAt: plan.dueAt,
    });
    if (finished()) return; // closed or done while the alert was stored
    c.view.sla = { ...c.view.sla!, breached: true };
    c.view.escalationLevel = rung.level;
    await publish(c);
    settleUnless(c, finished);
  }
  await condition(finished);
}

/** A step that arrived meanwhile is answered only once the next stage has been entered. */
function settleUnless(c: CaseState, finished: () => boolean): void {
  if (!finished()) settle(c);
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
