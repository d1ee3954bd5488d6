/**
 * Bed classes: a UPT's beds are counted per sex and age group, and a person takes a bed of
 * their own class. Plain constants and functions only: the workflow bundle may import this file.
 */
export const AGE_GROUPS = ['child', 'adult', 'elderly'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];
export const BED_SEXES = ['M', 'F'] as const;
export type BedSex = (typeof BED_SEXES)[number];

/** Lansia services admit from 60 (UU 13/1998); under 18 is a child (UU 35/2014). */
const ADULT_FROM = 18;
const ELDERLY_FROM = 60;

/** The age group a PPKS type is defined for: the child types, lansia, everyone else adult. */
function typeAgeGroup(ppksType: string): AgeGroup {
  if (ppksType.startsWith('anak_')) return 'child';
  return ppksType === 'lanjut_usia_terlantar' ? 'elderly' : 'adult';
}

/**
 * The person's age group by the estimated age. Without one, the group the PPKS type implies:
 * an "anak balita terlantar" of unknown age still needs a child's bed, anyone else an adult's.
 */
export function ageGroupOf(estimatedAge: number | undefined, ppksType: string): AgeGroup {
  if (estimatedAge === undefined) return typeAgeGroup(ppksType);
  if (estimatedAge < ADULT_FROM) return 'child';
  return estimatedAge < ELDERLY_FROM ? 'adult' : 'elderly';
}

/** The bed sexes a person may take: their own, or either when the sex is not known (or not given). */
export function bedSexesFor(sex: string | undefined): BedSex[] {
  return sex === 'M' || sex === 'F' ? [sex] : [...BED_SEXES];
}

/** PPKS types whose UPTs admit women only (UPT RSBKW Kediri, the former tuna susila home). */
const WOMEN_ONLY_TYPES = ['tuna_susila', 'perempuan_rawan_sosial_ekonomi'];

/**
 * The beds per class a UPT starts with, when only its total is known: the age groups of the
 * types it serves, women only when every type it serves is women-only, else both sexes; the
 * total split evenly over the classes, the first classes (child before adult before elderly,
 * M before F) taking one bed more when it does not divide.
 */
export function seedBedClasses(serves: readonly string[], total: number): { sex: BedSex; ageGroup: AgeGroup; beds: number }[] {
  const sexes: BedSex[] = serves.every((type) => WOMEN_ONLY_TYPES.includes(type)) ? ['F'] : [...BED_SEXES];
  const ageGroups = AGE_GROUPS.filter((group) => serves.some((type) => typeAgeGroup(type) === group));
  const classes = ageGroups.flatMap((ageGroup) => sexes.map((sex) => ({ sex, ageGroup })));
  return classes.map((c, i) => ({ ...c, beds: Math.floor(total / classes.length) + (i < total % classes.length ? 1 : 0) }));
}
