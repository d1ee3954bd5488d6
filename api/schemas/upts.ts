/** `/v1/upts`: the UPT registry, what each UPT serves and its beds per class, as changed and answered. */
import { AGE_GROUPS, BED_SEXES } from '../../domain/bed-class.js';
import { NEEDS } from '../../domain/case.js';
import { freeText, PpksType, RegionCode, z } from '../../domain/schemas.js';

const unique = (values: readonly string[]) => new Set(values).size === values.length;

const BedClassKey = {
  sex: z.enum(BED_SEXES).openapi({ description: 'A person of unknown sex may take a bed of either sex' }),
  ageGroup: z.enum(AGE_GROUPS).openapi({ description: 'child under 18, adult 18-59, elderly 60+ (by estimated age)' }),
};
export const Upt = z
  .object({
    code: z.string(),
    name: z.string(),
    city: z.string(),
    regionCode: z.string().nullable(),
    serves: z.array(PpksType),
    needs: z
      .array(z.enum(NEEDS))
      .openapi({ description: 'Needs the UPT cares for; a person is placed only where every need of theirs is served' }),
    capacity: z.number().int().openapi({ description: 'All beds: the sum of `capacityByClass`' }),
    capacityReported: z.boolean(),
    capacityByClass: z.array(z.object({ ...BedClassKey, beds: z.number().int(), occupied: z.number().int(), reserved: z.number().int() })),
    occupied: z.number().int(),
    reserved: z.number().int(),
    waiting: z
      .number()
      .int()
      .openapi({ description: 'Cases waiting for a bed that this UPT could serve (they may wait for other UPTs too)' }),
    version: z.number().int(),
  })
  .openapi('Upt');

export const UptCodeParam = z
  .string()
  .regex(/^[a-z0-9_]{1,100}$/, 'a UPT code')
  .openapi({ example: 'upt_pstw_magetan' });
export const UptBody = z
  .strictObject({
    name: freeText(200).optional(),
    regionCode: RegionCode.nullable().optional(),
    serves: z.array(PpksType).min(1).refine(unique, 'must not repeat a PPKS type'),
    needs: z.array(z.enum(NEEDS)).refine(unique, 'must not repeat a need'),
    capacity: z
      .array(z.strictObject({ ...BedClassKey, beds: z.number().int().min(0).max(5000) }))
      .min(1)
      .refine((classes) => unique(classes.map((c) => `${c.sex}/${c.ageGroup}`)), 'must not repeat a sex and age group')
      .openapi({ description: 'Every bed class the UPT has; a class left out has no beds' }),
  })
  .openapi('UptChange');

export const UptChangeResult = Upt.extend({
  overCapacity: z
    .array(z.object({ ...BedClassKey, beds: z.number().int(), occupied: z.number().int(), reserved: z.number().int() }))
    .openapi({
      description: 'Classes now holding more people than beds: allowed, no one is moved, the class takes no one until beds free up',
    }),
}).openapi('UptChangeResult');
