/**
 * NIK (Nomor Induk Kependudukan) structure: `PP KK CC DDMMYY SSSS`, 16 digits, no check digit.
 * Women have 40 added to the day of birth. The region digits say where the NIK was first
 * issued, never where the person lives now: the civil registry answers that.
 * A NIK passing these checks is well-formed, not proven to exist.
 */
import { isRegionCode, EAST_JAVA_PROVINCE } from './regions.js';

/** Kemendagri province codes. */
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
  '21',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '51',
  '52',
  '53',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '72',
  '73',
  '74',
  '75',
  '76',
  '81',
  '82',
  '91',
  '92',
  '93',
  '94',
  '95',
  '96',
]);

export interface NikCheck {
  valid: boolean;
  /** Why it is not well-formed; never echoes the NIK itself. */
  problems: string[];
  sex?: 'M' | 'F';
}

export function checkNik(nik: string): NikCheck {
  if (!/^\d{16}$/.test(nik)) return { valid: false, problems: ['must be exactly 16 digits'] };
  const problems: string[] = [];
  const province = nik.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) problems.push('unknown province code (digits 1-2)');
  if (province === EAST_JAVA_PROVINCE && !isRegionCode(`${province}.${nik.slice(2, 4)}`)) {
    problems.push('unknown East Java kab/kota code (digits 3-4)');
  }
  const rawDay = Number(nik.slice(6, 8));
  const sex = rawDay > 40 ? 'F' : 'M';
  const day = rawDay > 40 ? rawDay - 40 : rawDay;
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  if (!isCalendarDate(1900 + yy, month, day) && !isCalendarDate(2000 + yy, month, day)) {
    problems.push('digits 7-12 are not a valid date of birth (DDMMYY, women DD+40)');
  }
  if (nik.slice(12) === '0000') problems.push('serial number (digits 13-16) cannot be 0000');
  return problems.length === 0 ? { valid: true, problems, sex } : { valid: false, problems };
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
