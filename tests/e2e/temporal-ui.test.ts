/**
 * Supervisors in the Temporal Web UI without setup (issue 15), in headless Chromium: the API's
 * gateway (on a port of its own) sends a stranger to the console's sign-in page, which brings a supervisor
 * (password, then the second factor enrolled on first sign-in) back to the case, decoded.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../support/cases.js';
import { launchChromium } from '../support/chromium.js';
import { personIn, totpCode } from '../support/people.js';
import { agencyClient, startService, type RunningService } from '../support/service.js';

const NAME = 'Suwarni Hadiningrat';

let service: RunningService;
let browser: Browser;
let caseNumber: string;

beforeAll(async () => {
  service = await startService({ temporalUi: true });
  browser = await launchChromium();
  const satpol = agencyClient(
    service.baseUrl,
    await service.keyFor({ name: 'Satpol PP Surabaya', role: 'satpol_pp', regionCode: '35.78' }),
  );
  ({ caseNumber } = await openCase(satpol, {
    ppksType: 'gelandangan',
    foundAt: '2026-11-20T21:15:00+07:00',
    person: { name: NAME, sex: 'F', estimatedAge: 51 },
  }));
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

/** The case's workflow in the UI, through the gateway. */
const workflowPage = () => `${service.temporalUiUrl}/namespaces/default/workflows/case-${caseNumber}`;

describe('the Temporal UI behind the API', () => {
  it('opens a case for a supervisor right after signing in: its summary, the SLA timer label and the decoded intake', async () => {
    const supervisor = await personIn(service, 'supervisor');
    const page = await browser.newPage();
    await page.goto(workflowPage());
    // Not signed in: the console's sign-in page, in Bahasa Indonesia, which knows where to come back to.
    expect(page.url().startsWith(`${service.baseUrl}/?next=`)).toBe(true);
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    await page.fill('input[type=email]', supervisor.email);
    await page.fill('input[type=password]', supervisor.password);
    await page.click('#masuk button');
    // A supervisor enrols a second factor on first sign-in.
    await page.locator('#daftar-kode').waitFor({ timeout: 10_000 });
    const secret = (await page.locator('#rahasia').textContent())!;
    await page.fill('#daftar-kode input[name=code]', await totpCode(secret));
    await page.click('#daftar-kode button');
    await expect.poll(() => page.locator('#daftar-pemulihan li').count()).toBe(10);
    await page.click('#lanjut');
    await page.waitForURL(workflowPage(), { timeout: 10_000 });

    // The intake, decoded by the API's /codec on the same origin with the session's cookie: no setting in the UI.
    await expect.poll(() => page.locator('body').innerText(), { timeout: 30_000 }).toContain(NAME);
    // The SLA clock's timer, labelled in the timeline.
    await expect.poll(() => page.locator('body').innerText(), { timeout: 30_000 }).toContain('SLA identification');
    // The case's summary, in the workflow's user metadata.
    await page.getByText('User Metadata').click();
    const summary = page.frameLocator('#user-metadata-summary').locator('body');
    await expect
      .poll(() => summary.innerText(), { timeout: 15_000 })
      .toContain('PPKS gelandangan found in Kota Surabaya (35.78), reported by satpol_pp');
    // The workflow's current details come from a query, the one POST the gateway lets through.
    const details = page.frameLocator('iframe[title=output]').nth(1).locator('body');
    await expect.poll(() => details.innerText(), { timeout: 15_000 }).toContain('Waiting for: biometric identity check by DP3AK');
    // Each decode is in the case's access log, under the person.
    const { rows } = await service.pool.query<{ user_id: string }>(
      `SELECT DISTINCT user_id FROM access_log WHERE case_number = $1 AND endpoint LIKE 'POST /codec/decode%'`,
      [caseNumber],
    );
    expect(rows).toEqual([{ user_id: supervisor.userId }]);

    // Signing out on the console ends the session: the UI sends the browser to sign in again.
    await page.goto(`${service.baseUrl}/`);
    await page.click('#keluar');
    await page.locator('#masuk').waitFor();
    await page.goto(workflowPage());
    expect(page.url().startsWith(`${service.baseUrl}/?next=`)).toBe(true);
    await page.locator('#masuk').waitFor();
    await page.close();
  });

  it('signs in a person of another role, who gets no link to the UI and is refused at the gateway', async () => {
    const officer = await personIn(service, 'dinsos_prov');
    const page = await browser.newPage();
    await page.goto(`${service.baseUrl}/`);
    await page.fill('input[name=email]', officer.email);
    await page.fill('input[name=password]', officer.password);
    await page.click('#masuk button');
    await page.locator('#sudah-masuk').waitFor();
    expect(await page.locator('#instansi').textContent()).toBe('Agency of dinsos_prov');
    expect(await page.locator('#temporal-ui').isVisible()).toBe(false);
    const refused = await page.goto(workflowPage());
    expect(refused!.status()).toBe(403);
    await page.close();
  });

  it('shows a refused sign-in in words an officer understands', async () => {
    const officer = await personIn(service, 'satpol_pp', { regionCode: '35.78' });
    const page = await browser.newPage();
    await page.goto(`${service.baseUrl}/`);
    await page.fill('input[name=email]', officer.email);
    await page.fill('input[name=password]', 'not the password at all');
    await page.click('#masuk button');
    await expect.poll(() => page.locator('#pesan').textContent()).toBe('Email atau kata sandi salah, atau kode tidak cocok.');
    expect(await page.locator('#masuk').isVisible()).toBe(true);
    await page.close();
  });
});
