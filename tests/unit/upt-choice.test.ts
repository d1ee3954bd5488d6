import { describe, expect, it } from 'vitest';
import { chooseUpt, type UptCandidate } from '../../domain/upt-choice.js';

const upt = (code: string, regionCode: string | null, capacity: number, taken: number): UptCandidate => ({ code, regionCode, capacity, taken });

describe('UPT choice', () => {
  it('prefers a UPT in the region where the person was found', () => {
    const choice = chooseUpt([upt('a', '35.14', 100, 0), upt('b', '35.15', 10, 9)], '35.15');
    expect(choice?.code).toBe('b');
  });

  it('otherwise takes the UPT with the most free beds, then the code', () => {
    expect(chooseUpt([upt('a', '35.14', 10, 5), upt('b', '35.23', 10, 2)], '35.78')?.code).toBe('b');
    expect(chooseUpt([upt('b', '35.14', 10, 5), upt('a', null, 10, 5)], '35.78')?.code).toBe('a');
  });

  it('skips full UPTs, even in the found region, and gives null when all are full', () => {
    expect(chooseUpt([upt('a', '35.15', 10, 10), upt('b', '35.14', 10, 9)], '35.15')?.code).toBe('b');
    expect(chooseUpt([upt('a', '35.15', 10, 10), upt('b', '35.14', 0, 0)], '35.15')).toBeNull();
    expect(chooseUpt([], '35.15')).toBeNull();
  });
});
