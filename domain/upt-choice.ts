/**
 * Which UPT bed a person gets: in a UPT that serves every one of their needs, a free bed of their
 * class (age group, and sex — either when unknown), preferring the kab/kota where the person was
 * found, then the nearest UPT (straight line between kab/kota seats; UPTs without a region last),
 * then the most free beds. A bed is free only beyond the cases already queued ahead for it, so
 * beds that free up go to the longest-waiting cases first.
 */
import type { AgeGroup, BedSex } from './bed-class.js';
import { seatDistanceKm } from './region-coordinates.js';

export interface BedClassCount {
  sex: BedSex;
  ageGroup: AgeGroup;
  beds: number;
  /** Beds reserved or occupied now. */
  taken: number;
  /** Waiting cases that could take a bed of this class and have waited longer. */
  queuedAhead: number;
}

export interface UptCandidate {
  code: string;
  regionCode: string | null;
  needs: readonly string[];
  classes: readonly BedClassCount[];
}

export interface BedSeeker {
  sexes: readonly BedSex[];
  ageGroup: AgeGroup;
  needs: readonly string[];
  foundRegion: string;
}

export interface BedChoice {
  code: string;
  sex: BedSex;
  ageGroup: AgeGroup;
}

const free = (c: BedClassCount) => c.beds - c.taken - c.queuedAhead;

export function chooseBed(candidates: readonly UptCandidate[], seeker: BedSeeker): BedChoice | null {
  const options = candidates
    .filter((upt) => seeker.needs.every((need) => upt.needs.includes(need)))
    .map((upt) => {
      // Of the classes open to the person (both sexes when unknown), the one with most free beds.
      const bed = upt.classes
        .filter((c) => c.ageGroup === seeker.ageGroup && seeker.sexes.includes(c.sex) && free(c) > 0)
        .sort((a, b) => free(b) - free(a) || a.sex.localeCompare(b.sex))[0];
      const distance = upt.regionCode === seeker.foundRegion ? -1 : seatDistanceKm(seeker.foundRegion, upt.regionCode);
      return bed && { upt, bed, distance };
    })
    .filter((option) => option !== undefined);
  options.sort((a, b) => a.distance - b.distance || free(b.bed) - free(a.bed) || a.upt.code.localeCompare(b.upt.code));
  const best = options[0];
  return best ? { code: best.upt.code, sex: best.bed.sex, ageGroup: best.bed.ageGroup } : null;
}
