/**
 * The steps the console offers as forms, typed from api/steps.ts (generated from domain/steps.ts):
 * the names, and the dictionary keys every step, field and choice must have in both languages
 * (i18n/langkah-id.ts and langkah-en.ts: a missing or misspelt one does not compile).
 */
import { STEPS } from '../api/steps';

export { STEPS };
export type StepName = keyof typeof STEPS;
export const STEP_NAMES = Object.keys(STEPS) as StepName[];

type Properties<S extends StepName> = (typeof STEPS)[S]['body']['properties'];

/** Fields whose choices are named from the service's own lists (regions, provinces, roles: choices.ts), not the step dictionaries. */
export type NamedChoice = 'homeRegion' | 'homeProvince' | 'ownerRole';

type Choices<P> = P extends { enum: readonly (infer V extends string)[] }
  ? V
  : P extends { items: { enum: readonly (infer V extends string)[] } }
    ? V
    : never;

type FieldKeys<S extends StepName> = {
  [F in keyof Properties<S> & string]:
    `langkah.${S}.${F}` | (F extends NamedChoice ? never : `langkah.${S}.${F}.${Choices<Properties<S>[F]>}`);
}[keyof Properties<S> & string];

/** `langkah.<step>` (its button and heading), `langkah.<step>.<field>` (a label), `langkah.<step>.<field>.<choice>`. */
export type StepTextKey = { [S in StepName]: `langkah.${S}` | FieldKeys<S> }[StepName];

export const stepKey = (step: StepName) => `langkah.${step}` as StepTextKey;
export const fieldKey = (step: StepName, field: string) => `langkah.${step}.${field}` as StepTextKey;
export const choiceKey = (step: StepName, field: string, choice: string) => `langkah.${step}.${field}.${choice}` as StepTextKey;
