/** Beds free in a UPT or one of its classes: neither occupied nor reserved for a person on the way (never below 0 when over capacity). */
export const freeBeds = ({ beds, occupied, reserved }: { beds: number; occupied: number; reserved: number }): number =>
  Math.max(0, beds - occupied - reserved);
