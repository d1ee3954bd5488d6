import { describe, expect, it } from 'vitest';
import { checkNik } from '../../domain/nik.js';

describe('NIK structure (PP KK CC DDMMYY SSSS)', () => {
  it('accepts a well-formed NIK and reads the sex from the day of birth', () => {
    expect(checkNik('3578011708450001')).toEqual({ valid: true, problems: [], sex: 'M' });
    expect(checkNik('3509014505800001')).toEqual({ valid: true, problems: [], sex: 'F' });
  });

  it('accepts 29 February only in a leap year of either century', () => {
    expect(checkNik('3578012902000001').valid).toBe(true); // 2000
    expect(checkNik('3578012902010001').valid).toBe(false); // neither 1901 nor 2001
  });

  it.each([
    ['357801170845000', 'must be exactly 16 digits'],
    ['35780117084500012', 'must be exactly 16 digits'],
    ['3578O11708450001', 'must be exactly 16 digits'],
    ['9978011708450001', 'unknown province code (digits 1-2)'],
    ['3599011708450001', 'unknown East Java kab/kota code (digits 3-4)'],
    ['3578013208450001', 'digits 7-12 are not a valid date of birth (DDMMYY, women DD+40)'],
    ['3578017208450001', 'digits 7-12 are not a valid date of birth (DDMMYY, women DD+40)'],
    ['3578011713450001', 'digits 7-12 are not a valid date of birth (DDMMYY, women DD+40)'],
    ['3578011708450000', 'serial number (digits 13-16) cannot be 0000'],
  ])('rejects %s: %s', (nik, problem) => {
    const check = checkNik(nik);
    expect(check.valid).toBe(false);
    expect(check.problems).toContain(problem);
    expect(check.problems.join(' ')).not.toContain(nik);
  });

  it('accepts NIKs issued in other provinces (their kab/kota table is not ours)', () => {
    expect(checkNik('7371014107900003').valid).toBe(true);
  });
});
