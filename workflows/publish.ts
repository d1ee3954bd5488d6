/**
 * Makes a change visible: search attributes and current details for supervisors in the
 * Temporal UI, and the case index in PostgreSQL. None of it carries personal data.
 */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { withoutPersonalData } from '../domain/case-view.js';
import type { CaseState } from './case-state.js';
import { activities } from './activities.js';
import { EscalationLevel, HomeRegion, OwnerRole, PpksStage, SlaBreached, SlaDueAt, UptCode } from './search-attributes.js';

export async function publish(c: CaseState): Promise<void> {
  c.revision++;
  const { view } = c;
  upsertSearchAttributes([
    { key: PpksStage, value: view.stage },
    // A kab/kota code (35.xx), or a province code for a home elsewhere.
    { key: HomeRegion, value: view.homeRegion ?? view.homeProvince ?? null },
    { key: OwnerRole, value: view.ownerRole },
    { key: UptCode, value: view.upt },
    { key: SlaDueAt, value: view.sla ? new Date(view.sla.dueAt) : null },
    { key: SlaBreached, value: view.sla?.breached ?? false },
    { key: EscalationLevel, value: view.escalationLevel },
  ]);
  setCurrentDetails(currentDetails(c));
  // Stripped here, not in the activity, so that activity inputs in history carry no personal data.
  await activities.recordCaseView(withoutPersonalData(view), c.revision);
}

/** Lets step responses return: the workflow has reacted to everything posted so far. */
export function settle(c: CaseState): void {
  c.settledRevision = c.revision;
}

function currentDetails({ view }: CaseState): string {
  if (view.status === 'closed') return `Closed: ${view.outcome}`;
  const lines = [`**Stage:** ${view.stage}`, `**Waiting for:** ${view.waitingFor ?? '-'}`];
  if (view.sla) {
    lines.push(`**SLA ${view.sla.stage}:** due ${view.sla.dueAt}${view.sla.breached ? ' (breached)' : ''}`);
    lines.push(`**Escalation level:** ${view.escalationLevel}`);
  }
  return lines.join('\n\n');
}
