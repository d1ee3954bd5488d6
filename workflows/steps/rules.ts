/** What the step files share: the rules of a set of steps, typed by each step's input. */
import type { StepInput, StepName } from '../../domain/steps.js';
import type { StepRules } from './on-step.js';

export type RulesOf<N extends StepName> = { [K in N]: StepRules<StepInput<K>> };

/** Step details without the fields the agency left out. */
export function compact(fields: Record<string, string | undefined>): Record<string, string> | undefined {
  const kept = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return kept.length ? Object.fromEntries(kept) : undefined;
}
