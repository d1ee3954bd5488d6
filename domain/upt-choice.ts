/**
 * Which UPT gets the bed: one that serves the person's PPKS type and has a free bed,
 * preferring the kab/kota where the person was found, then the most free beds.
 */
export interface UptCandidate {
  code: string;
  regionCode: string | null;
  capacity: number;
  /** Beds reserved or occupied now. */
  taken: number;
}

export function chooseUpt(candidates: UptCandidate[], preferredRegion: string): UptCandidate | null {
  const withBeds = candidates.filter((u) => u.taken < u.capacity);
  const rank = (u: UptCandidate) => [u.regionCode === preferredRegion ? 0 : 1, -(u.capacity - u.taken)] as const;
  withBeds.sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1] || a.code.localeCompare(b.code);
  });
  return withBeds[0] ?? null;
}
