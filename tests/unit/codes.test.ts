import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PPKS_TYPE_CODES, isPpksType } from '../../domain/ppks-types.js';
import { REGION_CODES, REGIONS, isRegionCode } from '../../domain/regions.js';

const { upts } = JSON.parse(readFileSync(new URL('../../db/seed/upts.json', import.meta.url), 'utf8')) as {
  upts: { code: string; regionCode: string | null; serves: string[]; capacity: number | null }[];
};

describe('reference codes', () => {
  it('has the 26 statutory PPKS types', () => {
    expect(PPKS_TYPE_CODES).toHaveLength(26);
    expect(isPpksType('gelandangan')).toBe(true);
    expect(isPpksType('orang_terlantar')).toBe(false); // OT is a case category, not a statutory type
  });

  it('has the 29 kabupaten and 9 kota of East Java, keyed by code', () => {
    expect(REGION_CODES).toHaveLength(38);
    expect(REGION_CODES.filter((code) => Number(code.slice(3)) <= 69)).toHaveLength(29);
    expect(REGION_CODES.filter((code) => Number(code.slice(3)) >= 71)).toHaveLength(9);
    expect(REGIONS['35.78']).toBe('Kota Surabaya');
    expect(REGIONS['35.06']).not.toBe(REGIONS['35.71']); // Kabupaten and Kota Kediri
    expect(isRegionCode('35.80')).toBe(false);
    expect(isRegionCode('3578')).toBe(false);
  });

  it('seeds UPTs that serve known PPKS types in known regions', () => {
    expect(upts.length).toBeGreaterThanOrEqual(27);
    for (const upt of upts) {
      expect(upt.serves.length, upt.code).toBeGreaterThan(0);
      for (const type of upt.serves) expect(isPpksType(type), `${upt.code} serves ${type}`).toBe(true);
      if (upt.regionCode !== null) expect(isRegionCode(upt.regionCode), upt.code).toBe(true);
    }
  });
});
