/**
 * What the journeys through the console's screens (tests/e2e/console-journey*.test.ts) share: one
 * service and one headless Chromium per test file, each person signing in in a browser of their
 * own, finding the case in Tugas and recording their step through its form on Kasus. The API and
 * the database are only read: to wait for the case index and to assert.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Need } from '../../domain/case.js';
import { launchChromium } from './chromium.js';
import { masuk } from './masuk.js';
import type { personIn } from './people.js';
import { eventually, startService, type RunningService } from './service.js';

/** How long a step's answer and the case's new view may take (the first Update of a fresh worker is the slowest). */
export const ANSWERED = { timeout: 20_000 };

type Person = Awaited<ReturnType<typeof personIn>>;

/** The person's work list (Tugas, waiting on their role by default) shows the case; they open it on Kasus. */
export async function openFromTugas(page: Page, caseNumber: string) {
  await page.locator(`#daftar-tugas tr[data-kasus="${caseNumber}"] a`).click();
  await page.locator('#riwayat li').first().waitFor();
}

/**
 * Opens the step's form, lets `fill` fill it, sends it, and waits until the case's timeline has one
 * more step (a follow-up visit leaves the stage as it was) and the case view shows `nextStage`.
 */
export async function record(page: Page, step: string, fill: () => Promise<unknown>, nextStage: string) {
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
export const offered = (page: Page) =>
  page.locator('#langkah [data-langkah]').evaluateAll((buttons) => buttons.map((b) => b.dataset.langkah));

/**
 * Starts the service and Chromium before the file's tests and stops them after; the helpers that
 * need either come with them. `service` is there once the tests run (not when the file is loaded).
 */
export function consoleJourney() {
  const started = {} as { service: RunningService; browser: Browser };

  beforeAll(async () => {
    started.service = await startService();
    started.browser = await launchChromium();
  });

  afterAll(async () => {
    await started.browser?.close();
    await started.service?.stop();
  });

  /**
   * A browser of the person's own (their cookies only), signed in on Masuk, on `path`; a person of
   * `role` supervisor or auditor enrols the second factor on the way.
   */
  async function signedIn(person: Person, path: string, role?: string): Promise<Page> {
    const page = await (await started.browser.newContext()).newPage();
    await page.goto(`${started.service.baseUrl}${path}`);
    await masuk(page, person, role);
    await page.locator('#sudah-masuk').waitFor();
    return page;
  }

  /**
   * Waits until the case index (what Tugas lists) has the case at `stage`, held by `ownerRole`: the
   * workflow writes it just after each step, a moment after the step's answer.
   */
  async function listedAt(caseNumber: string, stage: string, ownerRole?: string) {
    await eventually(async () => {
      const { rows } = await started.service.pool.query<{ stage: string; owner: string }>(
        'SELECT stage, owner_role AS owner FROM cases WHERE case_number = $1',
        [caseNumber],
      );
      expect(rows[0]?.stage).toBe(stage);
      if (ownerRole) expect(rows[0]?.owner).toBe(ownerRole);
    });
  }

  /**
   * Satpol PP Surabaya files an intake on Penjangkauan, ticking the person's urgent `needs`; with
   * signal it is sent at once and its case number shown.
   */
  async function fileIntake(officer: Person, needs: readonly Need[] = []): Promise<string> {
    const page = await signedIn(officer, '/intake');
    await page.locator('#penjangkauan').waitFor();
    expect(await page.locator('#isian-foundRegion').inputValue()).toBe('35.78');
    await page.selectOption('#isian-ppksType', 'gelandangan');
    await page.fill('#isian-foundAt', '2026-01-05T09:30');
    await page.fill('#isian-foundPlace', 'Depan Stasiun Gubeng');
    await page.check('input[name=kelamin][value=M]');
    await page.fill('#isian-person-estimatedAge', '50');
    for (const need of needs) await page.check(`input[name=kebutuhan][value=${need}]`);
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

  /** The case's audit trail names who recorded each step, in order. */
  async function withTrail(caseNumber: string, expected: [action: string, userId: string][]) {
    const { rows: trail } = await started.service.pool.query<{ action: string; user_id: string | null }>(
      'SELECT action, user_id FROM audit_log WHERE case_number = $1 ORDER BY seq',
      [caseNumber],
    );
    // Steps the workflow records itself (a bed reserved, a relay's end) name no person.
    expect(trail.filter((entry) => entry.user_id !== null).map((entry) => [entry.action, entry.user_id])).toEqual(expected);
  }

  /** The case is closed in the case index (what the API lists), and its audit trail names who recorded each step. */
  async function closedWithTrail(caseNumber: string, expected: [action: string, userId: string][]) {
    await eventually(async () => {
      const { rows } = await started.service.pool.query('SELECT status, stage FROM cases WHERE case_number = $1', [caseNumber]);
      expect(rows[0]).toEqual({ status: 'closed', stage: 'closed' });
    });
    await withTrail(caseNumber, expected);
  }

  return {
    get service() {
      return started.service;
    },
    signedIn,
    listedAt,
    fileIntake,
    identifyNoMatch,
    withTrail,
    closedWithTrail,
  };
}
