import { describe, expect, it } from 'vitest';
import type { AgeGroup, BedSex } from '../../domain/bed-class.js';
import { chooseBed, type BedClassCount, type BedSeeker, type UptCandidate } from '../../domain/upt-choice.js';

const beds = (sex: BedSex, ageGroup: AgeGroup, total: number, taken = 0, queuedAhead = 0): BedClassCount => ({
  sex,
  ageGroup,
  beds: total,
  taken,
  queuedAhead,
});
const upt = (code: string, regionCode: string | null, classes: BedClassCount[], needs: string[] = []): UptCandidate => ({
  code,
  regionCode,
  needs,
  classes,
});
const seeker = (foundRegion: string, extra: Partial<BedSeeker> = {}): BedSeeker => ({
  sexes: ['M'],
  ageGroup: 'adult',
  needs: [],
  foundRegion,
  ...extra,
});

describe('UPT choice', () => {
  it('prefers a UPT in the region where the person was found, however few its free beds', () => {
    const choice = chooseBed(
      [upt('a', '35.14', [beds('M', 'adult', 100)]), upt('b', '35.15', [beds('M', 'adult', 10, 9)])],
      seeker('35.15'),
    );
    expect(choice).toEqual({ code: 'b', sex: 'M', ageGroup: 'adult' });
  });

  it('otherwise takes the nearest UPT by kab/kota seat, UPTs without a region last', () => {
    // Found in Kabupaten Jember: Bondowoso (~30 km) before Banyuwangi (~75 km) before Kota Surabaya.
    const upts = [
      upt('sby', '35.78', [beds('M', 'adult', 90)]),
      upt('bwi', '35.10', [beds('M', 'adult', 5)]),
      upt('bdw', '35.11', [beds('M', 'adult', 1)]),
    ];
    expect(chooseBed(upts, seeker('35.09'))?.code).toBe('bdw');
    expect(
      chooseBed([upt('none', null, [beds('M', 'adult', 90)]), upt('sby', '35.78', [beds('M', 'adult', 1)])], seeker('35.01'))?.code,
    ).toBe('sby');
  });

  it('breaks ties by free beds, then the code', () => {
    expect(
      chooseBed([upt('a', null, [beds('M', 'adult', 10, 5)]), upt('b', null, [beds('M', 'adult', 10, 2)])], seeker('35.78'))?.code,
    ).toBe('b');
    expect(
      chooseBed([upt('b', null, [beds('M', 'adult', 10, 5)]), upt('a', null, [beds('M', 'adult', 10, 5)])], seeker('35.78'))?.code,
    ).toBe('a');
  });

  it("takes only a bed of the person's age group and sex, either sex when it is unknown", () => {
    const mixed = upt('a', '35.15', [
      beds('M', 'adult', 10, 10),
      beds('F', 'adult', 10, 4),
      beds('M', 'elderly', 10),
      beds('M', 'child', 3),
    ]);
    expect(chooseBed([mixed], seeker('35.15'))).toBeNull();
    expect(chooseBed([mixed], seeker('35.15', { sexes: ['F'] }))).toEqual({ code: 'a', sex: 'F', ageGroup: 'adult' });
    expect(chooseBed([mixed], seeker('35.15', { sexes: ['M', 'F'] }))).toEqual({ code: 'a', sex: 'F', ageGroup: 'adult' });
    expect(chooseBed([mixed], seeker('35.15', { ageGroup: 'elderly' }))).toEqual({ code: 'a', sex: 'M', ageGroup: 'elderly' });
    expect(chooseBed([mixed], seeker('35.15', { ageGroup: 'child', sexes: ['F'] }))).toBeNull();
  });

  it('needs a UPT that serves every one of the needs', () => {
    const plain = upt('near', '35.78', [beds('M', 'adult', 10)]);
    const psychiatric = upt('far', '35.10', [beds('M', 'adult', 10)], ['psychiatric']);
    expect(chooseBed([plain, psychiatric], seeker('35.78', { needs: ['psychiatric'] }))?.code).toBe('far');
    expect(chooseBed([plain, psychiatric], seeker('35.78', { needs: ['psychiatric', 'disability'] }))).toBeNull();
    expect(chooseBed([plain, psychiatric], seeker('35.78'))?.code).toBe('near');
  });

  it('leaves the beds that free up to the cases queued ahead', () => {
    expect(chooseBed([upt('a', '35.15', [beds('M', 'adult', 10, 8, 2)])], seeker('35.15'))).toBeNull();
    expect(chooseBed([upt('a', '35.15', [beds('M', 'adult', 10, 8, 1)])], seeker('35.15'))?.code).toBe('a');
    // Queued ahead at the nearest UPT: the next one with a bed no one is waiting for.
    const upts = [upt('a', '35.15', [beds('M', 'adult', 10, 9, 1)]), upt('b', '35.14', [beds('M', 'adult', 10, 9)])];
    expect(chooseBed(upts, seeker('35.15'))?.code).toBe('b');
  });

  it('gives null when every matching UPT is full, or none serves the person', () => {
    expect(
      chooseBed([upt('a', '35.15', [beds('M', 'adult', 10, 10)]), upt('b', '35.14', [beds('M', 'adult', 0)])], seeker('35.15')),
    ).toBeNull();
    expect(chooseBed([], seeker('35.15'))).toBeNull();
  });
});
