/**
 * Step forms on the console's Kasus screen (issue 16), in headless Chromium: generated from the step
 * definitions, shown only to a role that may post the step now, posted with an Idempotency-Key made
 * when the form opens (a retry after a 503 keeps it: the step is recorded once), the API's refusal
 * of a field shown beside it, a 409 explained, and no serious accessibility violation with a form open.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { openCase, postStep } from '../support/cases.js';
import { launchChromium } from '../support/chromium.js';
import { personIn } from '../support/people.js';
import { masuk } from '../support/masuk.js';
import { type AgencyClient, agencyClient, startService, type RunningService } from '../support/service.js';

let service: RunningService;
let browser: Browser;
let satpol: AgencyClient;
let dp3ak: AgencyClient;

beforeAll(async () => {
  service = await startService();
  browser = await launchChromium();
  satpol = agencyClient(service.baseUrl, await service.keyFor({ name: 'Satpol PP Surabaya', role: 'satpol_pp', regionCode: '35.78' }));
  dp3ak = agencyClient(service.baseUrl, await service.keyFor({ name: 'DP3AK Jatim (API)', role: 'dukcapil' }));
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

/** How long a step's answer and the case's new view may take (the first Update of a fresh worker is the slowest). */
const ANSWERED = { timeout: 20_000 };

/** A case just opened in Surabaya: it waits on DP3AK's identification. */
const caseWaitingOnIdentification = async () => (await openCase(satpol)).caseNumber;

/** A person of a new agency of `role`, signed in, on the case's Kasus screen (its timeline shown). */
async function onCase(role: string, caseNumber: string): Promise<Page> {
  const person = await personIn(service, role);
  // A context of its own (one person's cookies), as axe's analysis opens a page beside it.
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${service.baseUrl}/kasus/${caseNumber}`);
  await masuk(page, person, role);
  await page.locator('#riwayat li').first().waitFor();
  return page;
}

/** The step posts a page sends to `path` (`identification`), in order. */
function stepPosts(page: Page, path: string): Request[] {
  const posts: Request[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith(`/${path}`)) posts.push(request);
  });
  return posts;
}

describe('step forms on the Kasus screen', () => {
  it('let DP3AK record an identification through its form, retried after a 503 with the same key, and the case moves on', async () => {
    const caseNumber = await caseWaitingOnIdentification();
    const page = await onCase('dukcapil', caseNumber);
    expect(await page.locator('#kasus-tahap').textContent()).toBe('Identifikasi');
    const posts = stepPosts(page, 'identification');
    // The first try never reaches the API: the service is unavailable (as behind a restarting load balancer).
    let refusedOnce = false;
    await page.route(`**/v1/cases/${caseNumber}/identification`, async (route) => {
      if (refusedOnce) return route.continue();
      refusedOnce = true;
      await route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Temporal is unavailable' }),
      });
    });

    await page.click('[data-langkah=recordIdentification]');
    const form = page.locator('#form-langkah[data-langkah=recordIdentification]');
    await form.waitFor();
    expect(await form.locator('label[for=isian-outcome]').textContent()).toBe('Hasil (wajib)');
    await page.selectOption('#isian-outcome', 'not_matched');
    await page.selectOption('#isian-method', 'fingerprint');
    await page.click('#form-langkah button[type=submit]');
    const explained = page.locator('#langkah-galat');
    await explained.waitFor();
    expect(await explained.innerText()).toContain('langkah tidak akan tercatat dua kali');

    await page.click('#langkah-coba-lagi');
    await expect.poll(() => page.locator('#kasus-tahap').textContent(), ANSWERED).toBe('Penelusuran alamat');
    expect(await page.locator('#langkah-tercatat').textContent()).toBe('Tercatat: Hasil identifikasi biometrik.');
    expect(await page.locator('#riwayat').innerText()).toContain('Identifikasi: not matched');
    // The case waits on Dinsos now: DP3AK has nothing left to record on it.
    await page.locator('#langkah-kosong').waitFor();
    expect(await page.locator('[data-langkah=recordIdentification]').count()).toBe(0);

    // Both tries carried the key made when the form opened, and the session's CSRF token; the step is in the case once.
    expect(posts).toHaveLength(2);
    const [first, retry] = await Promise.all(posts.map((post) => post.allHeaders()));
    expect(first!['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry!['idempotency-key']).toBe(first!['idempotency-key']);
    expect(retry!['x-csrf-token']).toBeTruthy();
    expect(posts[1]!.postDataJSON()).toEqual({ outcome: 'not_matched', method: 'fingerprint' });
    const view = (await dp3ak.get(`/v1/cases/${caseNumber}`)).body;
    expect(view.steps.filter((step: { stage: string }) => step.stage === 'identification')).toHaveLength(1);
    await page.context().close();
  });

  it("shows the API's refusal beside the field, gives a newly opened form a new key, and passes axe with a form open", async () => {
    const caseNumber = await caseWaitingOnIdentification();
    const page = await onCase('dukcapil', caseNumber);
    const posts = stepPosts(page, 'identification');
    await page.click('[data-langkah=recordIdentification]');
    await page.selectOption('#isian-outcome', 'matched');
    await page.fill('#isian-nik', '1234');
    await page.click('#form-langkah button[type=submit]');
    const beside = page.locator('#isian-nik-galat');
    await beside.waitFor();
    expect(await beside.textContent()).toMatch(/NIK/);
    expect(await page.getAttribute('#isian-nik', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#isian-nik', 'aria-describedby')).toBe('isian-nik-galat');
    expect(await page.locator('#langkah-galat').innerText()).toContain('perbaiki isian yang ditandai');
    // Nothing to retry after a refusal: the officer corrects the form.
    expect(await page.locator('#langkah-coba-lagi').count()).toBe(0);
    expect(await page.locator('#kasus-tahap').textContent()).toBe('Identifikasi');

    await expectAccessible(page, '#kasus');

    // A form opened anew is a new step: a new key.
    await page.click('#form-langkah button.tautan');
    await page.click('[data-langkah=recordIdentification]');
    await page.selectOption('#isian-outcome', 'not_possible');
    await page.click('#form-langkah button[type=submit]');
    await expect.poll(() => page.locator('#kasus-tahap').textContent(), ANSWERED).toBe('Penelusuran alamat');
    const [refused, recorded] = await Promise.all(posts.map((post) => post.allHeaders()));
    expect(recorded!['idempotency-key']).not.toBe(refused!['idempotency-key']);
    await page.context().close();
  });

  it('explains a 409 when the case moved on while the form was open, and shows where it stands now', async () => {
    const caseNumber = await caseWaitingOnIdentification();
    const page = await onCase('dukcapil', caseNumber);
    await page.click('[data-langkah=recordIdentification]');
    await page.selectOption('#isian-outcome', 'not_matched');
    // A colleague records it first (through the agency's API key).
    await postStep(dp3ak, caseNumber, 'identification', { outcome: 'not_possible' });
    await page.click('#form-langkah button[type=submit]');
    const explained = page.locator('#langkah-galat');
    await explained.waitFor();
    expect(await explained.innerText()).toContain('kasus sudah pindah tahap');
    await expect.poll(() => page.locator('#kasus-tahap').textContent(), ANSWERED).toBe('Penelusuran alamat');
    await page.context().close();
  });

  it('shows no form to a role that may not post the step, and the supervisor steps to no one else', async () => {
    const caseNumber = await caseWaitingOnIdentification();
    const page = await onCase('dinsos_prov', caseNumber);
    await page.locator('#langkah-kosong').waitFor();
    expect(await page.locator('#langkah [data-langkah]').count()).toBe(0);
    await page.context().close();

    const dp3akPage = await onCase('dukcapil', caseNumber);
    await dp3akPage.locator('[data-langkah=recordIdentification]').waitFor();
    expect(
      await dp3akPage.locator('#langkah [data-langkah]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-langkah'))),
    ).toEqual(['recordIdentification']);
    await dp3akPage.context().close();
  });

  it('gives a supervisor the overrides that fit the case, and the next one once one is recorded', async () => {
    const caseNumber = await caseWaitingOnIdentification();
    const page = await onCase('supervisor', caseNumber);
    const offered = () =>
      page.locator('#langkah [data-langkah]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-langkah')));
    await page.locator('[data-langkah=pauseSla]').waitFor();
    // Not DP3AK's identification (the role's grants), no reopening of an open case, no UPT transfer before a placement.
    expect(await offered()).toEqual(['closeCase', 'pauseSla', 'extendSla', 'reassignStep', 'moveOnByException']);
    await page.click('[data-langkah=pauseSla]');
    expect(await page.locator('#isian-reason').evaluate((field) => field.tagName)).toBe('TEXTAREA');
    await page.fill('#isian-reason', 'Menunggu kapal ke Madura');
    await page.click('#form-langkah button[type=submit]');
    await expect.poll(() => page.locator('#kasus-tenggat').textContent(), ANSWERED).toMatch(/^dijeda/);
    expect(await offered()).toEqual(['closeCase', 'resumeSla', 'extendSla', 'reassignStep', 'moveOnByException']);
    await page.context().close();
  });
});
