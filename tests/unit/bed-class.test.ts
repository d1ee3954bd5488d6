import { describe, expect, it } from 'vitest';
import { ageGroupOf, bedSexesFor, seedBedClasses } from '../../domain/bed-class.js';
import { REGION_CODES } from '../../domain/regions.js';
import { REGION_SEATS, seatDistanceKm } from '../../domain/region-coordinates.js';

describe('bed classes', () => {
  it('groups ages as child under 18, adult to 59, elderly from 60', () => {
    expect([0, 17, 18, 59, 60, 95].map((age) => ageGroupOf(age, 'gelandangan'))).toEqual([
      'child',
      'child',
      'adult',
      'adult',
      'elderly',
      'elderly',
    ]);
  });

  it('takes the age group the PPKS type implies when the age is not known', () => {
    expect(ageGroupOf(undefined, 'anak_balita_terlantar')).toBe('child');
    expect(ageGroupOf(undefined, 'lanjut_usia_terlantar')).toBe('elderly');
    expect(ageGroupOf(undefined, 'gelandangan')).toBe('adult');
    expect(ageGroupOf(40, 'anak_terlantar')).toBe('adult'); // a known age wins
  });

  it('lets a person of unknown sex take a bed of either sex', () => {
    expect(bedSexesFor('F')).toEqual(['F']);
    expect(bedSexesFor('unknown')).toEqual(['M', 'F']);
    expect(bedSexesFor(undefined)).toEqual(['M', 'F']);
  });

  it("splits a UPT's seeded total over the classes of the types it serves", () => {
    expect(seedBedClasses(['tuna_susila', 'perempuan_rawan_sosial_ekonomi'], 60)).toEqual([{ sex: 'F', ageGroup: 'adult', beds: 60 }]);
    expect(seedBedClasses(['anak_berhadapan_hukum', 'korban_napza'], 41)).toEqual([
      { sex: 'M', ageGroup: 'child', beds: 11 },
      { sex: 'F', ageGroup: 'child', beds: 10 },
      { sex: 'M', ageGroup: 'adult', beds: 10 },
      { sex: 'F', ageGroup: 'adult', beds: 10 },
    ]);
    expect(seedBedClasses(['lanjut_usia_terlantar'], 145)).toEqual([
      { sex: 'M', ageGroup: 'elderly', beds: 73 },
      { sex: 'F', ageGroup: 'elderly', beds: 72 },
    ]);
  });
});

describe('kab/kota seats', () => {
  it('places every kab/kota of East Java inside the province', () => {
    expect(Object.keys(REGION_SEATS).sort()).toEqual([...REGION_CODES].sort());
    for (const [lat, lon] of Object.values(REGION_SEATS)) {
      expect(lat).toBeGreaterThan(-8.8);
      expect(lat).toBeLessThan(-6.7);
      expect(lon).toBeGreaterThan(110.8);
      expect(lon).toBeLessThan(114.6);
    }
  });

  it('measures straight-line distance, unknown regions infinitely far', () => {
    expect(seatDistanceKm('35.78', '35.73')).toBeGreaterThan(70); // Surabaya - Kota Malang, ~80 km
    expect(seatDistanceKm('35.78', '35.73')).toBeLessThan(90);
    expect(seatDistanceKm('35.78', '35.78')).toBe(0);
    expect(seatDistanceKm('35.78', null)).toBe(Infinity);
    expect(seatDistanceKm('35.78', '36.01')).toBe(Infinity);
  });
});
