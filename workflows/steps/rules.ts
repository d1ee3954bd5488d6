/** What the step files share: the rules of a set of steps, typed by each step's input. */
import type { STEPS, StepInput, StepName } from '../../domain/steps.js';
import type { StepOwner } from '../case-state.js';
import type { StepRules } from './on-step.js';

/** The SLA step a step completes, from its definition; never for a step without one. */
type SlaOf<K extends StepName> = (typeof STEPS)[K]['sla'] extends { step: infer S } ? S : never;

/**
 * Who the case waits on while that step's SLA clock runs, and for what (shown in the case and
 * the Temporal UI, and where alerts go). Required of every step that completes an SLA step.
 */
type WaitedOn<K extends StepName> = [SlaOf<K>] extends [never]
  ? { waitedOn?: never }
  : { waitedOn: { sla: SlaOf<K>; owner: () => StepOwner } };

export type RulesOf<N extends StepName> = { [K in N]: StepRules<StepInput<K>> & WaitedOn<K> };

/** Step details without the fields the agency left out. */
export function compact(fields: Record<string, string | undefined>): Record<string, string> | undefined {
  const kept = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return kept.length ? Object.fromEntries(kept) : undefined;
}
