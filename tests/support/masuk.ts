/** Signing in on the console's *Masuk* screen, as a person would: the form, then the second factor where the role needs one. */
import type { Page } from 'playwright-core';
import { totpCode } from './people.js';

/** The roles whose people enrol a TOTP second factor on their first sign-in (api/second-factor.ts). */
const ENROL_ON_FIRST_SIGN_IN = new Set(['supervisor', 'auditor']);

/**
 * Fills in and sends the sign-in form shown on `page`; a person of `role` supervisor or auditor then
 * enrols and acknowledges the recovery codes (the role need not be given for the others).
 */
export async function masuk(page: Page, person: { email: string; password: string }, role?: string): Promise<void> {
  await page.fill('input[type=email]', person.email);
  await page.fill('input[type=password]', person.password);
  await page.click('#masuk button');
  if (role === undefined || !ENROL_ON_FIRST_SIGN_IN.has(role)) return;
  await page.locator('#daftar-kode').waitFor();
  await page.fill('#daftar-kode input[name=code]', await totpCode((await page.locator('#rahasia').textContent())!));
  await page.click('#daftar-kode button');
  await page.click('#lanjut');
}
