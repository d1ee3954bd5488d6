/**
 * Intake with no signal (issue 16) in headless Chromium on a 360-px phone: a Satpol PP officer
 * records an intake offline; it waits on the phone ("menunggu sinyal") over a reload served by the
 * service worker, and is sent with its Idempotency-Key when the signal returns. An answer lost on
 * the way and a reload that sends it again still make exactly one case. A refusal is shown beside
 * its field; a 503 keeps the intake queued; signing out warns before deleting unsent intakes.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { launchChromium } from '../support/chromium.js';
import { masuk } from '../support/masuk.js';
import { personIn } from '../support/people.js';
import { startService, type RunningService } from '../support/service.js';

let service: RunningService;
let browser: Browser;

beforeAll(async () => {
  service = await startService();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

/** A phone-sized browser of its own (a service worker needs a context), signed in as a new Satpol PP Surabaya officer, on /intake. */
async function officerOnIntake() {
  const person = await personIn(service, 'satpol_pp', { regionCode: '35.78' });
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${service.baseUrl}/intake`);
  await signIn(page, person);
  // The app shell is on the phone once the service worker controls the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return { context, page, agencyId: person.agencyId, person };
}

async function signIn(page: Page, person: { email: string; password: string }) {
  await masuk(page, person);
  await page.locator('#penjangkauan').waitFor();
}

async function fillIntake(page: Page, name: string, foundAt = '2026-01-05T09:30') {
  await page.selectOption('#isian-ppksType', 'gelandangan');
  await page.fill('#isian-foundAt', foundAt);
  await page.fill('#isian-foundPlace', 'Depan Stasiun Gubeng');
  await page.fill('#isian-person-name', name);
  await page.check('input[name=kelamin][value=M]');
  await page.fill('#isian-person-estimatedAge', '45');
  await page.check('input[name=kebutuhan][value=medical]');
}

const intakesOf = async (agencyId: string) =>
  (await service.pool.query<{ n: string }>('SELECT count(*) AS n FROM intake_requests WHERE agency_id = $1', [agencyId])).rows[0]!.n;

describe('intake on a phone with no signal', () => {
  it('keeps an intake made offline over a reload, and sends it once when the signal returns, even after a lost answer', async () => {
    const { context, page, agencyId } = await officerOnIntake();
    // Counts the console's requests for persistent storage (headless Chromium grants none of itself).
    await page.evaluate(() => {
      const persist = navigator.storage.persist.bind(navigator.storage);
      Object.assign(window, { persistAsked: 0 });
      navigator.storage.persist = () => {
        Object.assign(window, { persistAsked: (window as unknown as { persistAsked: number }).persistAsked + 1 });
        return persist();
      };
    });
    expect(await page.locator('nav a[href="/intake"]').textContent()).toBe('Penjangkauan');
    // The officer's own kab/kota is the default.
    expect(await page.locator('#isian-foundRegion').inputValue()).toBe('35.78');

    await context.setOffline(true);
    await fillIntake(page, 'Budi Santoso');
    await page.click('#simpan-penjangkauan');
    const queued = page.locator('#antrean li[data-status=menunggu]');
    await queued.waitFor();
    expect(await queued.innerText()).toContain('menunggu sinyal');
    const key = (await queued.getAttribute('data-kunci'))!;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    // Queued, so the browser is asked to keep the queue under storage pressure.
    await expect.poll(() => page.evaluate(() => (window as unknown as { persistAsked: number }).persistAsked)).toBe(1);

    // A reload with no signal: the service worker serves the shell, the queue is still on the phone.
    await page.reload();
    await page.locator('#luring').waitFor();
    await page.locator(`#antrean li[data-kunci="${key}"][data-status=menunggu]`).waitFor();
    expect(await intakesOf(agencyId)).toBe('0');

    // The signal returns, but the first answer is lost on the way back: the case is opened, the phone does not know.
    let lost = 0;
    await context.route('**/v1/cases', async (route) => {
      if (lost++ > 0) return route.fallback();
      await route.fetch();
      await route.abort('connectionreset');
    });
    await context.setOffline(false);
    await expect.poll(() => intakesOf(agencyId), { timeout: 15_000 }).toBe('1');

    // Sent again with the same key (the next round): the API answers with the same case.
    const sent = page.locator('#terkirim li[data-kasus]');
    await sent.waitFor({ timeout: 30_000 });
    const caseNumber = (await sent.getAttribute('data-kasus'))!;
    expect(caseNumber).toMatch(/^3578-\d{4}-\d{6}$/);
    expect(await page.locator('#antrean li').count()).toBe(0);
    expect(lost).toBe(2);
    // Nothing is left to send after another reload.
    await page.reload();
    await page.locator('#penjangkauan').waitFor();
    expect(await page.locator('#antrean li').count()).toBe(0);
    const { rows } = await service.pool.query<{ case_number: string }>('SELECT case_number FROM intake_requests WHERE agency_id = $1', [
      agencyId,
    ]);
    expect(rows).toEqual([{ case_number: caseNumber }]);
    expect((await service.pool.query('SELECT 1 FROM cases WHERE case_number = $1', [caseNumber])).rowCount).toBe(1);
    await context.close();
  });

  it("shows a refusal beside its field, to correct under a new key; passes axe's WCAG 2.1 AA checks", async () => {
    const { context, page, agencyId } = await officerOnIntake();
    await fillIntake(page, 'Sri Wahyuni', '2099-01-01T10:00');
    await page.click('#simpan-penjangkauan');
    const refused = page.locator('#antrean li[data-status=ditolak]');
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.innerText()).toContain('Waktu ditemukan (wajib): must not be in the future');
    await refused.locator('button.ubah').click();
    expect(await page.locator('#galat-foundAt').textContent()).toBe('must not be in the future');
    expect(await page.locator('#isian-foundAt').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#isian-foundAt').getAttribute('aria-describedby')).toBe('galat-foundAt');
    expect(await page.locator('#isian-person-name').inputValue()).toBe('Sri Wahyuni');

    await expectAccessible(page);

    await page.fill('#isian-foundAt', '2026-01-05T09:30');
    await page.click('#simpan-penjangkauan');
    await page.locator('#terkirim li[data-kasus]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#antrean li').count()).toBe(0);
    expect(await intakesOf(agencyId)).toBe('1');
    await context.close();
  });

  it('keeps an intake queued on a 503, and warns before signing out deletes it from the phone', async () => {
    const { context, page, agencyId } = await officerOnIntake();
    await context.route('**/v1/cases', (route) =>
      route.fulfill({
        status: 503,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '5' },
        body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'retry shortly' }),
      }),
    );
    await fillIntake(page, 'Ahmad Fauzi');
    await page.click('#simpan-penjangkauan');
    await page.locator('#antrean li[data-status=menunggu]').waitFor();

    await page.click('#keluar');
    expect(await page.locator('#keluar-peringatan').innerText()).toContain('1 laporan penjangkauan yang belum terkirim');
    await page.getByRole('button', { name: 'Tetap masuk' }).click();
    await page.locator('#antrean li[data-status=menunggu]').waitFor();
    await page.click('#keluar');
    await page.click('#keluar-hapus');
    await page.locator('#masuk').waitFor();
    const left = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const opening = indexedDB.open('ppks-konsol');
          opening.onerror = () => reject(opening.error);
          opening.onsuccess = () => {
            const counting = opening.result.transaction('antrean').objectStore('antrean').count();
            counting.onsuccess = () => resolve(counting.result);
          };
        }),
    );
    expect(left).toBe(0);
    expect(await intakesOf(agencyId)).toBe('0');
    await context.close();
  });

  it('keeps the queue when the session ends, and sends it once the officer signs in again', async () => {
    const { context, page, agencyId, person } = await officerOnIntake();
    await context.setOffline(true);
    await fillIntake(page, 'Dewi Lestari');
    await page.click('#simpan-penjangkauan');
    const key = (await page.locator('#antrean li[data-status=menunggu]').getAttribute('data-kunci'))!;
    // The session ends while the phone has no signal (expired, or ended elsewhere).
    await service.pool.query('DELETE FROM sessions WHERE user_id = $1', [person.userId]);
    await context.setOffline(false);
    // The API answers 401: the sign-in screen, and the intake is still on the phone.
    await page.locator('#masuk').waitFor({ timeout: 30_000 });
    expect(await intakesOf(agencyId)).toBe('0');
    await signIn(page, person);
    await page.locator('#terkirim li[data-kasus]').waitFor({ timeout: 30_000 });
    expect(await page.locator(`#antrean li[data-kunci="${key}"]`).count()).toBe(0);
    expect(await intakesOf(agencyId)).toBe('1');
    await context.close();
  });

  it('serves the service worker and the manifest, revalidated each time; never the console on their misspellings', async () => {
    for (const file of ['/sw.js', '/registerSW.js', '/manifest.webmanifest']) {
      const answer = await fetch(`${service.baseUrl}${file}`);
      expect(answer.status, file).toBe(200);
      expect(answer.headers.get('cache-control'), file).toBe('no-cache');
    }
    const worker = await (await fetch(`${service.baseUrl}/sw.js`)).text();
    // The shell is precached; the one route is the navigation fallback, which leaves the API's paths alone: no answer of /v1 is cached.
    expect(worker).toContain('{url:"index.html"');
    expect(worker.match(/registerRoute\(/g)).toHaveLength(1);
    expect(worker).toMatch(/NavigationRoute\(.*denylist:\[\/\^\\\/\(v1\|/);
    expect((await fetch(`${service.baseUrl}/sw2.js`)).status).toBe(404);
  });
});
