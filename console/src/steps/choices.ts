/** A choice's name in a step form: regions, provinces and roles from the service's own lists, every other choice from the step dictionaries. */
import { provinceLabel } from '../../../domain/provinces.js';
import type { Role } from '../api/client';
import type { Translate } from '../i18n';
import { regionName, roleName } from '../labels';
import { choiceKey, type NamedChoice, type StepName } from './definitions';

const NAMED: Record<NamedChoice, (choice: string, t: Translate) => string> = {
  homeRegion: (choice) => regionName(choice) ?? choice,
  homeProvince: (choice) => provinceLabel(choice),
  ownerRole: (choice, t) => roleName(choice as Role, t),
};

export function choiceName(step: StepName, field: string, choice: string, t: Translate): string {
  return field in NAMED ? NAMED[field as NamedChoice](choice, t) : t(choiceKey(step, field, choice));
}
