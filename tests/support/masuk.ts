/** Signing in on the console's *Masuk* screen, as a person would: the form, then the second factor where the role needs one. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { totpCode } from './people.js';

/** The roles whose people enrol a TOTP second factor on their first sign-in (api/second-factor.ts). */
const ENROL_ON_FIRST_SIGN_IN = new Set(['supervisor', 'auditor']);

/** Fills in and sends the sign-in form shown on `page`; a supervisor or auditor then enrols and acknowledges the recovery codes. */
export async function masuk(page: Page, person: { email: string; password: string }, role: string): Promise<void> {
  await page.fill('input[type=email]', person.email);
  await page.fill('input[type=password]', person.password);
  await page.click('#masuk button');
  if (!ENROL_ON_FIRST_SIGN_IN.has(role)) return;
  await page.locator('#daftar-kode').waitFor();
  await page.fill('#daftar-kode input[name=code]', await totpCode((await page.locator('#rahasia').textContent())!));
  await page.click('#daftar-kode button');
  await page.click('#lanjut');
}

/**
 * Unticks a filter of the work list once the page has settled after signing in: a click while the
 * console still navigates to the page it was asked for is undone by that navigation.
 */
export async function untick(page: Page, selector: string): Promise<void> {
  const box = page.locator(selector);
  await expect
    .poll(async () => {
      if (await box.isChecked()) await box.click();
      return box.isChecked();
    })
    .toBe(false);
}
