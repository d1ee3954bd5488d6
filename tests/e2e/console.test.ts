/**
 * The staff console (issue 16) in headless Chromium: a Dinsos Jatim person signs in (no second
 * factor for the role), finds on the work list a case waiting on Dinsos Jatim, opens it and reads
 * its timeline, and switches the console to English and back. The console's own routes survive a
 * reload; the API's paths are never answered with the console.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, postStep } from '../support/cases.js';
import { launchChromium } from '../support/chromium.js';
import { masuk } from '../support/masuk.js';
import { personIn, totpCode } from '../support/people.js';
import { type AgencyClient, agencyClient, eventually, startService, type RunningService } from '../support/service.js';

let service: RunningService;
let browser: Browser;
/** Waiting on Dinsos Jatim: DP3AK found no match, so the address is looked up next. */
let waitingOnProv: string;
/** Still waiting on DP3AK. */
let waitingOnDukcapil: string;
/** Waiting on Dinsos Jatim, past its SLA. */
let overdue: string;
let supervisor: AgencyClient;
const OVERDUE_TYPE = 'anak_perlindungan_khusus'; // in no other test file

beforeAll(async () => {
  service = await startService();
  browser = await launchChromium();
  const satpol = agencyClient(
    service.baseUrl,
    await service.keyFor({ name: 'Satpol PP Surabaya', role: 'satpol_pp', regionCode: '35.78' }),
  );
  const dukcapil = agencyClient(service.baseUrl, await service.keyFor({ name: 'DP3AK Jatim', role: 'dukcapil' }));
  // Overdue at once, and the oldest case (last in the API's newest-first order): a one-second address lookup for a PPKS type no other case has.
  supervisor = agencyClient(service.baseUrl, await service.keyFor({ name: 'Supervisor Dinsos Jatim', role: 'supervisor' }));
  const policy = await supervisor.put(`/v1/sla-policies/address_lookup/ppks-types/${OVERDUE_TYPE}`, {
    duration: 'PT1S',
    calendar: 'continuous',
    reason: 'console test: a case overdue at once',
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);
  overdue = (await openCase(satpol, { ppksType: OVERDUE_TYPE })).caseNumber;
  await postStep(dukcapil, overdue, 'identification', { outcome: 'not_matched' });
  waitingOnProv = (await openCase(satpol, { ppksType: 'pengemis' })).caseNumber;
  const identified = await postStep(dukcapil, waitingOnProv, 'identification', { outcome: 'not_matched' });
  expect(identified.ownerRole).toBe('dinsos_prov');
  waitingOnDukcapil = (await openCase(satpol)).caseNumber;
  await eventually(async () => expect((await supervisor.get(`/v1/cases/${overdue}`)).body.sla.breached).toBe(true));
});

afterAll(async () => {
  await supervisor?.raw('DELETE', `/v1/sla-policies/address_lookup/ppks-types/${OVERDUE_TYPE}`);
  await browser?.close();
  await service?.stop();
});

async function signInAs(role: string): Promise<Page> {
  const person = await personIn(service, role);
  const page = await browser.newPage();
  await page.goto(`${service.baseUrl}/`);
  await masuk(page, person);
  await page.locator('#sudah-masuk').waitFor();
  return page;
}

describe('the staff console', () => {
  it("shows a Dinsos Jatim person the cases waiting on Dinsos Jatim, and one case's timeline", async () => {
    const page = await signInAs('dinsos_prov');
    expect(await page.locator('#peran').textContent()).toBe('Dinsos Provinsi Jawa Timur');
    const row = page.locator(`#daftar-tugas tr[data-kasus="${waitingOnProv}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Penelusuran alamat');
    expect(await row.locator('.hitung-mundur').textContent()).toMatch(/^sisa \d+ hr \d+ j$/);
    // Overdue first, whatever its age.
    const first = page.locator('#daftar-tugas tbody tr').first();
    expect(await first.getAttribute('data-kasus')).toBe(overdue);
    expect(await first.locator('.hitung-mundur').textContent()).toMatch(/^lewat \d+ mnt$/);
    // Waiting on DP3AK, not on us: only when the list shows every case in scope.
    expect(await page.locator(`tr[data-kasus="${waitingOnDukcapil}"]`).count()).toBe(0);
    // On a slow phone (the CPU 20 times slower) the box unticks on the tap itself: a filter held in the URL
    // and changed in a React transition sprang back until the transition landed (Playwright: "did not change its state").
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    await page.uncheck('input[name=menunggu]');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await page.locator(`tr[data-kasus="${waitingOnDukcapil}"]`).waitFor();
    // Filtered by stage: in the URL, so a reload keeps it.
    await page.selectOption('select[name=tahap]', 'address_lookup');
    await expect.poll(() => page.locator(`tr[data-kasus="${waitingOnDukcapil}"]`).count()).toBe(0);
    await page.reload();
    await row.waitFor();
    expect(await page.locator('select[name=tahap]').inputValue()).toBe('address_lookup');

    await row.getByRole('link').click();
    await page.waitForURL(`${service.baseUrl}/kasus/${waitingOnProv}`);
    await page.locator('#riwayat li').nth(1).waitFor();
    expect(await page.locator('#kasus-pemegang').textContent()).toBe('Dinsos Provinsi Jawa Timur');
    expect(await page.locator('#kasus-eskalasi').textContent()).toBe('0');
    const timeline = await page.locator('#riwayat').innerText();
    expect(timeline).toContain('Penjangkauan');
    expect(timeline).toMatch(/Identifikasi: not matched .*WIB|WIB.*Identifikasi: not matched/s);
    // Each step names the agency that recorded it, by name, though it is not the reader's own.
    expect(timeline).toContain('oleh instansi Satpol PP Surabaya');
    expect(timeline).toContain('oleh instansi DP3AK Jatim');
    // Only supervisors get the link to the case's workflow in the Temporal UI.
    expect(await page.locator('#kasus-temporal').count()).toBe(0);
    // The case's own address survives a reload.
    await page.reload();
    await page.locator('#riwayat li').nth(1).waitFor();
    await page.close();
  });

  it('names the civil-records agency DP3AK, and gives a supervisor the link to the case in the Temporal UI', async () => {
    const dp3ak = await signInAs('dukcapil');
    expect(await dp3ak.locator('#peran').textContent()).toBe('DP3AK');
    await dp3ak.locator(`#daftar-tugas tr[data-kasus="${waitingOnDukcapil}"]`).waitFor();
    await dp3ak.close();

    // A supervisor enrols the second factor on first sign-in, then reaches the console.
    const supervisor = await personIn(service, 'supervisor');
    const page = await browser.newPage();
    await page.goto(`${service.baseUrl}/kasus/${waitingOnProv}`);
    await page.fill('input[name=email]', supervisor.email);
    await page.fill('input[name=password]', supervisor.password);
    await page.click('#masuk button');
    await page.locator('#daftar-kode').waitFor();
    await page.fill('#daftar-kode input[name=code]', await totpCode((await page.locator('#rahasia').textContent())!));
    await page.click('#daftar-kode button');
    await page.click('#lanjut');
    // Back on the case it asked for, which the API's /temporal link sends on to the UI's gateway.
    const link = page.locator('#kasus-temporal');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/temporal/namespaces/default/workflows/case-${waitingOnProv}`);
    await page.close();
  });

  it('switches to English and back, on the page and in <html lang>', async () => {
    const page = await signInAs('dinsos_prov');
    await page.locator('#tugas-judul').waitFor();
    expect(await page.locator('#tugas-judul').textContent()).toBe('Tugas');
    await page.click('#bahasa');
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('#tugas-judul').textContent()).toBe('Work list');
    expect(await page.locator('#keluar').textContent()).toBe('Sign out');
    // The choice is kept over a reload.
    await page.reload();
    await page.locator('#tugas-judul').waitFor();
    expect(await page.locator('#tugas-judul').textContent()).toBe('Work list');
    await page.click('#bahasa');
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('id');
    expect(await page.locator('#tugas-judul').textContent()).toBe('Tugas');
    expect(await page.locator('#keluar').textContent()).toBe('Keluar');
    await page.close();
  });

  it("serves the console on a reload of its routes, never on the API's paths", async () => {
    for (const route of ['/', '/tugas', `/kasus/${waitingOnProv}`]) {
      const page = await fetch(`${service.baseUrl}${route}`, { headers: { accept: 'text/html' } });
      expect(page.status, route).toBe(200);
      expect(await page.text()).toContain('<html lang="id">');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
    // The bundle a phone downloads once: compressed, and kept for good under its content-hashed name.
    const html = await (await fetch(`${service.baseUrl}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const bundle = await fetch(`${service.baseUrl}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-encoding')).toBe('gzip');
    expect(bundle.headers.get('cache-control')).toContain('immutable');
    for (const route of ['/v1/no-such-thing', '/codec/no-such-thing', '/temporal/x', '/favicon.ico', '/assets/missing.js']) {
      const answer = await fetch(`${service.baseUrl}${route}`, { headers: { accept: 'text/html' } });
      // The API's own answer (a 401 before /v1's routes, a 404 elsewhere), never the console's page.
      expect([401, 404], route).toContain(answer.status);
      expect(answer.headers.get('content-type'), route).toContain('application/problem+json');
    }
  });
});
