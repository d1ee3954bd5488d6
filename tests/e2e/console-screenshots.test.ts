/**
 * Pictures of each console screen for docs/console.md (issue 16), each taken as the role that works
 * there: Masuk and Penjangkauan on a 360-px phone (where Satpol PP officers use them), the others on
 * a 1280-px desktop. Each screen must first show its key element, so a screen that fails to render
 * fails the test. The pictures go to a temporary directory, so `npm test` leaves the tree clean;
 * `UPDATE_SCREENSHOTS=1 npx vitest run tests/e2e/console-screenshots.test.ts` writes them to
 * docs/console/ to commit.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertActivities } from '../../activities/database/alerts.js';
import type { StageStay } from '../../domain/case-view.js';
import { openCase, postStep } from '../support/cases.js';
import { launchChromium } from '../support/chromium.js';
import { addAgency } from '../../api/agencies.js';
import { addUser } from '../../api/users.js';
import { agencyClient, startService, type AgencyClient, type RunningService } from '../support/service.js';

let service: RunningService;
let browser: Browser;
let satpol: AgencyClient;
let dp3ak: AgencyClient;
let directory: string;
const updating = process.env.UPDATE_SCREENSHOTS === '1';

/** The dashboard's months: a year no other test writes or reads. */
const DASHBOARD_YEAR = '2016';
const DASHBOARD_PREFIX = `${DASHBOARD_YEAR}-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

beforeAll(async () => {
  service = await startService();
  browser = await launchChromium();
  directory = updating ? 'docs/console' : await mkdtemp(join(tmpdir(), 'ppks-console-'));
  satpol = agencyClient(service.baseUrl, await service.keyFor({ name: 'Satpol PP Surabaya', role: 'satpol_pp', regionCode: '35.78' }));
  dp3ak = agencyClient(service.baseUrl, await service.keyFor({ name: 'DP3AK Jatim', role: 'dukcapil' }));
});

afterAll(async () => {
  await service?.pool.query('DELETE FROM cases WHERE case_number LIKE $1', [`${DASHBOARD_PREFIX}-%`]);
  await browser?.close();
  await service?.stop();
  if (directory && !updating) await rm(directory, { recursive: true, force: true });
});

/** The agencies whose people the pictures show, named as the docs' readers know them. */
const AGENCIES = {
  dinsos_prov: { name: 'Dinas Sosial Provinsi Jawa Timur', role: 'dinsos_prov' },
  dukcapil: { name: 'DP3AK Jawa Timur', role: 'dukcapil' },
  satpol_pp: { name: 'Satpol PP Kota Surabaya', role: 'satpol_pp', regionCode: '35.78' },
};

/** A browser of its own at `viewport`, on `path`, signed in as a new person of `agency` (none signs in without one). */
async function onScreen(viewport: typeof PHONE, path: string, agency?: keyof typeof AGENCIES): Promise<Page> {
  const page = await (await browser.newContext({ viewport, isMobile: viewport === PHONE })).newPage();
  await page.goto(`${service.baseUrl}${path}`);
  if (agency) {
    const { agencyId } = await addAgency(service.pool, AGENCIES[agency]);
    const person = await addUser(service.pool, {
      agencyId,
      name: 'Siti Rahayu',
      email: `petugas.${crypto.randomUUID()}@dinsos.example.id`,
    });
    await page.fill('input[name=email]', person.email);
    await page.fill('input[name=password]', person.password);
    await page.click('#masuk button');
    await page.locator('#sudah-masuk').waitFor();
  }
  return page;
}

/** Saves the page (the whole of it, or what the window shows) as `<name>.png` once `key` shows, and checks the file is small enough for the docs. */
async function shoot(page: Page, name: string, key: string, fullPage = true): Promise<void> {
  await page.locator(key).first().waitFor({ state: 'visible', timeout: 20_000 });
  const path = join(directory, `${name}.png`);
  await page.screenshot({ path, fullPage, animations: 'disabled' });
  expect((await stat(path)).size).toBeLessThan(150_000);
  await page.context().close();
}

/** A case opened in Surabaya that DP3AK did not match: it waits on Dinsos Jatim's address lookup. */
async function caseWaitingOnProv(): Promise<string> {
  const { caseNumber } = await openCase(satpol, { ppksType: 'pengemis' });
  await postStep(dp3ak, caseNumber, 'identification', { outcome: 'not_matched' });
  return caseNumber;
}

describe('screenshots of the console for the docs', () => {
  it('Masuk, on a phone', async () => {
    await shoot(await onScreen(PHONE, '/'), 'masuk', '#masuk input[name=email]');
  });

  it('Tugas, as Dinsos Jatim', async () => {
    const caseNumber = await caseWaitingOnProv();
    // The window only: the list is as long as the suite's shared database makes it.
    await shoot(await onScreen(DESKTOP, '/tugas', 'dinsos_prov'), 'tugas', `#daftar-tugas tr[data-kasus="${caseNumber}"]`, false);
  });

  it('Kasus with the identification form open, as DP3AK', async () => {
    const { caseNumber } = await openCase(satpol);
    const page = await onScreen(DESKTOP, `/kasus/${caseNumber}`, 'dukcapil');
    await page.click('[data-langkah=recordIdentification]');
    await shoot(page, 'kasus', '#form-langkah #isian-outcome');
  });

  it('Penjangkauan with an intake waiting for signal, as a Satpol PP officer', async () => {
    const page = await onScreen(PHONE, '/intake', 'satpol_pp');
    // The API out of reach: the intake stays on the phone.
    await page.context().route('**/v1/cases', (route) => route.abort('internetdisconnected'));
    await page.selectOption('#isian-ppksType', 'gelandangan');
    await page.fill('#isian-foundAt', '2026-01-05T09:30');
    await page.fill('#isian-foundPlace', 'Depan Stasiun Gubeng');
    await page.fill('#isian-person-name', 'Budi Santoso');
    await page.check('input[name=kelamin][value=M]');
    await page.fill('#isian-person-estimatedAge', '45');
    await page.click('#simpan-penjangkauan');
    await shoot(page, 'penjangkauan', '#antrean li[data-status=menunggu]');
  });

  it('Peringatan, as Dinsos Jatim', async () => {
    const caseNumber = await caseWaitingOnProv();
    const raise = alertActivities(service.pool, async () => {}).raiseAlert;
    const { alertId } = await raise({
      alertKey: `case-${caseNumber}/console-screenshot/no_bed`,
      kind: 'no_bed',
      caseNumber,
      stage: 'placement',
      step: 'placement',
      level: 0,
      recipientRole: 'dinsos_prov',
      regionCode: '35.78',
      uptCode: null,
      dueAt: null,
    });
    // The window only: the inbox is as long as the suite's shared database makes it.
    await shoot(await onScreen(DESKTOP, '/peringatan', 'dinsos_prov'), 'peringatan', `li[data-peringatan="${alertId}"]`, false);
  });

  it('Dasbor, as Dinsos Jatim', async () => {
    // Half a year long past that no other test reads, with closed cases whose stays took hours (today's cases take seconds).
    for (let month = 1; month <= 6; month++) {
      for (let n = 1; n <= (month % 3) + 1; n++) {
        const opened = Date.parse(`${DASHBOARD_YEAR}-0${month}-0${n}T08:00:00+07:00`);
        const stays = (['identification', 'address_lookup', 'repatriation', 'follow_up'] as const).map((stage, i) => ({
          stage,
          enteredAt: new Date(opened + i * 86_400_000).toISOString(),
          leftAt: new Date(opened + i * 86_400_000 + (6 + 5 * i + 3 * n) * 3_600_000).toISOString(),
          ownerRole: stage === 'identification' ? 'dukcapil' : stage === 'follow_up' ? 'dinsos_kabkota' : 'dinsos_prov',
          breached: (month + n + i) % 4 === 0,
          pausedMs: 0,
        })) satisfies StageStay[];
        const caseNumber = `${DASHBOARD_PREFIX}-${month}${n}`;
        await service.pool.query(
          `INSERT INTO cases (case_number, revision, status, stage, ppks_type, found_region, opened_at, view)
           VALUES ($1, 1, 'closed', 'closed', 'gelandangan', '35.78', $2, $3)`,
          [caseNumber, stays[0].enteredAt, JSON.stringify({ caseNumber, stays })],
        );
      }
    }
    const page = await onScreen(DESKTOP, `/dasbor?dari=${DASHBOARD_YEAR}-01&sampai=${DASHBOARD_YEAR}-06`, 'dinsos_prov');
    await page.locator('#upt table').waitFor();
    // The pointer off the charts (no tooltip in the picture), and the bars grown in (over a second).
    await page.mouse.move(1, 1);
    await page.waitForTimeout(1_500);
    // The first charts: the whole page is several screens of charts and tables.
    await shoot(page, 'dasbor', '#waktu-tahap .recharts-bar-rectangle', false);
  });
});
