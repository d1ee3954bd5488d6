/**
 * Accessibility of the console's way in (issue 16), in headless Chromium on a 360-px phone and a
 * 1280-px desktop: axe finds no serious or critical WCAG 2.1 AA violation on Masuk (the sign-in form,
 * with and without a refusal; the second factor's enrolment with its recovery codes; the code asked
 * for once enrolled), nor on the app shell with Tugas showing a case.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { openCase } from '../support/cases.js';
import { launchChromium } from '../support/chromium.js';
import { personIn, totpCode } from '../support/people.js';
import { agencyClient, startService, type RunningService } from '../support/service.js';

let service: RunningService;
let browser: Browser;
let caseNumber: string;

beforeAll(async () => {
  service = await startService();
  browser = await launchChromium();
  const satpol = agencyClient(
    service.baseUrl,
    await service.keyFor({ name: 'Satpol PP Surabaya', role: 'satpol_pp', regionCode: '35.78' }),
  );
  caseNumber = (await openCase(satpol)).caseNumber;
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const WIDTHS = [360, 1280];

/** A browser of its own (axe needs a context to look into frames) at `width`, on the sign-in form. */
async function onSignIn(width: number): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height: 800 } })).newPage();
  await page.goto(`${service.baseUrl}/`);
  await page.locator('#masuk').waitFor();
  return page;
}

async function submitPassword(page: Page, person: { email: string; password: string }, password = person.password): Promise<void> {
  await page.fill('input[name=email]', person.email);
  await page.fill('input[name=password]', password);
  await page.click('#masuk button');
}

describe.each(WIDTHS)("the console's way in, %i px wide", (width) => {
  it('passes axe on the sign-in form, before and after a refusal', async () => {
    const person = await personIn(service, 'dinsos_prov');
    const page = await onSignIn(width);
    await expectAccessible(page);
    await submitPassword(page, person, 'not-the-password');
    await page.locator('#pesan:not([hidden])').waitFor();
    await expectAccessible(page);
    await page.context().close();
  });

  it("passes axe on a supervisor's enrolment, recovery codes, app shell with Tugas, and the code asked for at the next sign-in", async () => {
    const supervisor = await personIn(service, 'supervisor');
    const page = await onSignIn(width);
    await submitPassword(page, supervisor);
    await page.locator('#daftar-kode:not([hidden])').waitFor();
    await expectAccessible(page);
    await page.fill('#daftar-kode input[name=code]', await totpCode((await page.locator('#rahasia').textContent())!));
    await page.click('#daftar-kode button');
    await page.locator('#pemulihan:not([hidden])').waitFor();
    await expectAccessible(page);
    await page.click('#lanjut');
    // The shell and the work list, with a row (supervisors see every open case).
    await page.locator(`#daftar-tugas tr[data-kasus="${caseNumber}"]`).waitFor();
    await expectAccessible(page);
    await page.context().close();

    // Enrolled: a new browser is asked for a code.
    const again = await onSignIn(width);
    await submitPassword(again, supervisor);
    await again.locator('#kode:not([hidden])').waitFor();
    await expectAccessible(again);
    await again.context().close();
  });
});
