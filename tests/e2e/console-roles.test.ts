/**
 * Every role signs in to the console through *Masuk* (supervisors and auditors enrolling their
 * second factor first) and gets its own agency, its East Java role name and the screens meant for
 * it. The expected menus are written out here, not read from the console's route table: the
 * table is what is under test.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../domain/case.js';
import { launchChromium } from '../support/chromium.js';
import { personIn } from '../support/people.js';
import { masuk } from '../support/masuk.js';
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

const EVERYONE = ['Tugas', 'Peringatan'];
/** Per role: its name as East Java uses it, its scope, and its menu. */
const EXPECTED: Record<(typeof ROLES)[number], { name: string; scope: { regionCode?: string; uptCode?: string }; menu: string[] }> = {
  satpol_pp: { name: 'Satpol PP kab/kota', scope: { regionCode: '35.78' }, menu: [...EVERYONE, 'Penjangkauan'] },
  dinsos_kabkota: { name: 'Dinsos kab/kota', scope: { regionCode: '35.78' }, menu: [...EVERYONE, 'Penjangkauan'] },
  dukcapil: { name: 'DP3AK', scope: {}, menu: EVERYONE },
  dinsos_prov: { name: 'Dinsos Provinsi Jawa Timur', scope: {}, menu: [...EVERYONE, 'Penjangkauan', 'Dasbor'] },
  upt: { name: 'UPT', scope: { uptCode: 'balai_prs_pmks_sidoarjo' }, menu: EVERYONE },
  dinkes: { name: 'Dinas Kesehatan', scope: {}, menu: EVERYONE },
  supervisor: { name: 'Supervisor Dinsos Jatim', scope: {}, menu: [...EVERYONE, 'Dasbor', 'Temporal UI'] },
  auditor: { name: 'Inspektorat', scope: {}, menu: [...EVERYONE, 'Dasbor'] },
};

describe('signing in to the console, per role', () => {
  it.each(ROLES)('%s', async (role) => {
    const expected = EXPECTED[role];
    const person = await personIn(service, role, expected.scope, `Petugas ${role}`);
    const page = await browser.newPage();
    try {
      await page.goto(`${service.baseUrl}/`);
      await masuk(page, person, role);
      await page.locator('#sudah-masuk').waitFor();
      expect(await page.locator('#nama').textContent()).toBe(`Petugas ${role}`);
      expect(await page.locator('#instansi').textContent()).toBe(`Agency of ${role}`);
      expect(await page.locator('#peran').textContent()).toBe(expected.name);
      const menu = await page.locator('#sudah-masuk nav a').allTextContents();
      expect([...menu].sort()).toEqual([...expected.menu].sort());
    } finally {
      await page.close();
    }
  });
});
