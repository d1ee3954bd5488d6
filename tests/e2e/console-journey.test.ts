/**
 * Cases from intake to closure through the console's screens alone (issue 16), in headless
 * Chromium: each person signs in on Masuk in a browser of their own, finds the case in Tugas, and
 * records their step through its form on Kasus. Satpol PP Surabaya files the intake on
 * Penjangkauan; DP3AK records the identification; then either Dinsos Jatim records the address and
 * the departure home and Dinsos Surabaya (the home kab/kota) the handover and the follow-up visits,
 * or Dinsos Surabaya finds no address and the UPT admits the person and visits. The last visit
 * closes the case. Nothing is posted to the API by the test: it only reads, to assert.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { personIn } from '../support/people.js';
import { eventually, startService, type RunningService } from '../support/service.js';

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

/** How long a step's answer and the case's new view may take (the first Update of a fresh worker is the slowest). */
const ANSWERED = { timeout: 20_000 };

type Person = Awaited<ReturnType<typeof personIn>>;

/** A browser of the person's own (their cookies only), signed in on Masuk, on `path`. */
async function signedIn(person: Person, path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${service.baseUrl}${path}`);
  await page.fill('input[type=email]', person.email);
  await page.fill('input[type=password]', person.password);
  await page.click('#masuk button');
  await page.locator('#sudah-masuk').waitFor();
  return page;
}

/**
 * Waits until the case index (what Tugas lists) has the case at `stage`, held by `ownerRole`: the
 * workflow writes it just after each step, a moment after the step's answer.
 */
async function listedAt(caseNumber: string, stage: string, ownerRole?: string) {
  await eventually(async () => {
    const { rows } = await service.pool.query<{ stage: string; owner: string }>(
      'SELECT stage, owner_role AS owner FROM cases WHERE case_number = $1',
      [caseNumber],
    );
    expect(rows[0]?.stage).toBe(stage);
    if (ownerRole) expect(rows[0]?.owner).toBe(ownerRole);
  });
}

/** The person's work list (Tugas, waiting on their role by default) shows the case; they open it on Kasus. */
async function openFromTugas(page: Page, caseNumber: string) {
  await page.locator(`#daftar-tugas tr[data-kasus="${caseNumber}"] a`).click();
  await page.locator('#riwayat li').first().waitFor();
}

/**
 * Opens the step's form, lets `fill` fill it, sends it, and waits until the case's timeline has one
 * more step (a follow-up visit leaves the stage as it was) and the case view shows `nextStage`.
 */
async function record(page: Page, step: string, fill: () => Promise<unknown>, nextStage: string) {
  const timeline = page.locator('#riwayat li');
  const before = await timeline.count();
  await page.click(`#langkah [data-langkah=${step}]`);
  await page.locator(`#form-langkah[data-langkah=${step}]`).waitFor();
  await fill();
  await page.click('#form-langkah button[type=submit]');
  await expect.poll(() => timeline.count(), ANSWERED).toBeGreaterThan(before);
  await expect.poll(() => page.locator('#kasus-tahap').textContent(), ANSWERED).toBe(nextStage);
  expect(await page.locator('#langkah-galat').count()).toBe(0);
}

/** The steps a page offers on the case now. */
const offered = (page: Page) => page.locator('#langkah [data-langkah]').evaluateAll((buttons) => buttons.map((b) => b.dataset.langkah));

/** Satpol PP Surabaya files an intake on Penjangkauan; with signal it is sent at once and its case number shown. */
async function fileIntake(officer: Person): Promise<string> {
  const page = await signedIn(officer, '/intake');
  await page.locator('#penjangkauan').waitFor();
  expect(await page.locator('#isian-foundRegion').inputValue()).toBe('35.78');
  await page.selectOption('#isian-ppksType', 'gelandangan');
  await page.fill('#isian-foundAt', '2026-01-05T09:30');
  await page.fill('#isian-foundPlace', 'Depan Stasiun Gubeng');
  await page.check('input[name=kelamin][value=M]');
  await page.fill('#isian-person-estimatedAge', '50');
  await page.click('#simpan-penjangkauan');
  const sent = page.locator('#terkirim li[data-kasus]');
  await sent.waitFor({ timeout: 30_000 });
  const caseNumber = (await sent.getAttribute('data-kasus'))!;
  expect(caseNumber).toMatch(/^3578-\d{4}-\d{6}$/);
  await page.context().close();
  return caseNumber;
}

/** DP3AK finds the case in Tugas, waiting on them, and records the identification: no match. */
async function identifyNoMatch(dp3ak: Person, caseNumber: string) {
  await listedAt(caseNumber, 'identification');
  const page = await signedIn(dp3ak, '/');
  await openFromTugas(page, caseNumber);
  expect(await page.locator('#kasus-tahap').textContent()).toBe('Identifikasi');
  await record(
    page,
    'recordIdentification',
    async () => {
      await page.selectOption('#isian-outcome', 'not_matched');
      await page.selectOption('#isian-method', 'fingerprint');
    },
    'Penelusuran alamat',
  );
  await page.context().close();
}

/** The case is closed in the case index (what the API lists), and its audit trail names who recorded each step. */
async function closedWithTrail(caseNumber: string, expected: [action: string, userId: string][]) {
  await eventually(async () => {
    const { rows } = await service.pool.query('SELECT status, stage FROM cases WHERE case_number = $1', [caseNumber]);
    expect(rows[0]).toEqual({ status: 'closed', stage: 'closed' });
  });
  const { rows: trail } = await service.pool.query<{ action: string; user_id: string | null }>(
    'SELECT action, user_id FROM audit_log WHERE case_number = $1 ORDER BY seq',
    [caseNumber],
  );
  // Steps the workflow records itself (a bed reserved) name no person.
  expect(trail.filter((entry) => entry.user_id !== null).map((entry) => [entry.action, entry.user_id])).toEqual(expected);
}

describe('a case from intake to closure through the console alone', () => {
  it('is filed, identified, traced home, repatriated, handed over, visited and closed, each step by its own person', async () => {
    const satpol = await personIn(service, 'satpol_pp', { regionCode: '35.78' }, 'Agus Satpol');
    const dp3ak = await personIn(service, 'dukcapil', {}, 'Rina DP3AK');
    const jatim = await personIn(service, 'dinsos_prov', {}, 'Dewi Dinsos Jatim');
    const surabaya = await personIn(service, 'dinsos_kabkota', { regionCode: '35.78' }, 'Budi Dinsos Surabaya');

    const caseNumber = await fileIntake(satpol);
    await identifyNoMatch(dp3ak, caseNumber);

    // Dinsos Jatim traces the family to Surabaya, then sends the person home.
    await listedAt(caseNumber, 'address_lookup');
    const province = await signedIn(jatim, '/');
    await openFromTugas(province, caseNumber);
    expect(await offered(province)).toEqual(['recordAddress']);
    await record(
      province,
      'recordAddress',
      async () => {
        await province.selectOption('#isian-outcome', 'found');
        await province.selectOption('#isian-homeRegion', '35.78');
        await province.fill('#isian-address', 'Jl. Kenjeran 12, Surabaya');
      },
      'Pemulangan',
    );
    expect(await offered(province)).toEqual(['recordDeparture']);
    await record(province, 'recordDeparture', () => province.fill('#isian-transport', 'mobil dinas'), 'Pemulangan');
    await expect.poll(() => offered(province), ANSWERED).toEqual([]);
    await province.context().close();

    // The home kab/kota's Dinsos receives the person, visits once, then reports them reunified: the case closes.
    await listedAt(caseNumber, 'repatriation', 'dinsos_kabkota');
    const home = await signedIn(surabaya, '/');
    await openFromTugas(home, caseNumber);
    expect(await offered(home)).toEqual(['recordHandover']);
    await record(home, 'recordHandover', () => home.fill('#isian-receivedBy', 'Budi (Dinsos Surabaya)'), 'Pemantauan');
    await record(home, 'recordFollowUp', () => home.selectOption('#isian-outcome', 'stable'), 'Pemantauan');
    await record(home, 'recordFollowUp', () => home.selectOption('#isian-outcome', 'reunified'), 'Selesai');
    expect(await home.locator('#kasus-status').textContent()).toBe('Ditutup');
    expect(await home.locator('#riwayat li').last().innerText()).toContain('reunified');
    await home.locator('#langkah-kosong').waitFor();
    await home.context().close();

    await closedWithTrail(caseNumber, [
      ['case.intake', satpol.userId],
      ['case.identification', dp3ak.userId],
      ['case.address', jatim.userId],
      ['case.departure', jatim.userId],
      ['case.handover', surabaya.userId],
      ['case.follow_up', surabaya.userId],
      ['case.follow_up', surabaya.userId],
    ]);
  });

  it('is placed in a UPT when no address is found, admitted and visited by the UPT until it closes', async () => {
    const satpol = await personIn(service, 'satpol_pp', { regionCode: '35.78' }, 'Agus Satpol');
    const dp3ak = await personIn(service, 'dukcapil', {}, 'Rina DP3AK');
    const surabaya = await personIn(service, 'dinsos_kabkota', { regionCode: '35.78' }, 'Budi Dinsos Surabaya');
    const upt = await personIn(service, 'upt', { uptCode: 'balai_prs_pmks_sidoarjo' }, 'Sri UPT Sidoarjo');

    const caseNumber = await fileIntake(satpol);
    await identifyNoMatch(dp3ak, caseNumber);

    // The kab/kota Dinsos where the person was found finds no family: a bed is reserved in a UPT for the person's PPKS type.
    // The address waits on Dinsos Jatim's role, so Surabaya's Tugas lists it once "waiting on us" is unticked.
    await listedAt(caseNumber, 'address_lookup');
    const found = await signedIn(surabaya, '/');
    await found.uncheck('input[name=menunggu]');
    await openFromTugas(found, caseNumber);
    expect(await offered(found)).toEqual(['recordAddress']);
    await record(found, 'recordAddress', () => found.selectOption('#isian-outcome', 'not_found'), 'Penempatan di UPT');
    await found.context().close();

    // The UPT finds it in Tugas, admits the person, and reports them independent on a visit: the case closes.
    await listedAt(caseNumber, 'placement', 'upt');
    const balai = await signedIn(upt, '/');
    await openFromTugas(balai, caseNumber);
    expect(await offered(balai)).toEqual(['recordAdmission']);
    await record(balai, 'recordAdmission', async () => undefined, 'Pemantauan');
    await record(balai, 'recordFollowUp', () => balai.selectOption('#isian-outcome', 'independent'), 'Selesai');
    expect(await balai.locator('#kasus-status').textContent()).toBe('Ditutup');
    await balai.context().close();

    await closedWithTrail(caseNumber, [
      ['case.intake', satpol.userId],
      ['case.identification', dp3ak.userId],
      ['case.address', surabaya.userId],
      ['case.admission', upt.userId],
      ['case.follow_up', upt.userId],
    ]);
  });
});
