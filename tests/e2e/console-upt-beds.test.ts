/**
 * A UPT's people see their own beds above their work list (console, Tugas): per bed class the
 * beds, those occupied, those reserved and those free, and the cases waiting for a bed. Uses a UPT
 * of its own serving korban_tindak_kekerasan, which no seeded UPT and no other test file serves, so
 * every figure comes from this file's cases: three men placed there (one admitted, two on the way)
 * fill the men's class, and a fourth waits.
 */
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agenciesFor, openCase, postStep } from '../support/cases.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium } from '../support/chromium.js';
import { personIn } from '../support/people.js';
import { type AgencyClient, agencyClient, eventually, startService, type RunningService } from '../support/service.js';

const UPT = `test_beds_${randomUUID().slice(0, 8)}`;
const PPKS_TYPE = 'korban_tindak_kekerasan';
let service: RunningService;
let browser: Browser;
let agency: Record<'satpol' | 'dukcapil' | 'prov' | 'supervisor', AgencyClient>;
let uptPerson: Awaited<ReturnType<typeof personIn>>;
const cases: string[] = [];

beforeAll(async () => {
  service = await startService();
  browser = await launchChromium();
  agency = await agenciesFor(service, 'Beds', {
    satpol: ['satpol_pp', { regionCode: '35.78' }],
    dukcapil: 'dukcapil',
    prov: 'dinsos_prov',
    supervisor: 'supervisor',
  });
  await service.pool.query(
    `INSERT INTO upts (code, name, city, region_code, capacity, capacity_reported) VALUES ($1, 'UPT Uji Tempat Tidur', 'Sidoarjo', '35.15', 0, false)`,
    [UPT],
  );
  const beds = await agency.supervisor.put(`/v1/upts/${UPT}`, {
    serves: [PPKS_TYPE],
    needs: [],
    capacity: [
      { sex: 'M', ageGroup: 'adult', beds: 3 },
      { sex: 'F', ageGroup: 'adult', beds: 1 },
    ],
  });
  expect(beds.status, JSON.stringify(beds.body)).toBe(200);
  uptPerson = await personIn(service, 'upt', { uptCode: UPT }, 'Sri UPT Uji');

  // Four men no family is found for: the first three take the men's beds (one is admitted), the fourth waits.
  for (let i = 0; i < 4; i++) {
    const n = (await openCase(agency.satpol, { ppksType: PPKS_TYPE, person: { sex: 'M', estimatedAge: 35 } })).caseNumber;
    await postStep(agency.dukcapil, n, 'identification', { outcome: 'not_matched' });
    await postStep(agency.prov, n, 'address', { outcome: 'not_found' });
    cases.push(n);
  }
  await eventually(async () => expect((await agency.supervisor.get(`/v1/upts/${UPT}`)).body).toMatchObject({ reserved: 3, waiting: 1 }));
  await postStep(agencyClient(service.baseUrl, uptPerson.apiKey), cases[0]!, 'placement/admission', {});
});

afterAll(async () => {
  // Closed, so that no case of this file goes on asking for a bed while the rest of the suite runs.
  for (const n of cases) await agency?.supervisor.post(`/v1/cases/${n}/close`, { reason: 'console beds test over' });
  await browser?.close();
  await service?.stop();
});

describe("a UPT's beds in the console", () => {
  it('shows its people each class: beds, occupied, reserved, free, and the cases waiting', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${service.baseUrl}/`);
    await page.fill('input[type=email]', uptPerson.email);
    await page.fill('input[type=password]', uptPerson.password);
    await page.click('#masuk button');
    await page.locator('#daftar-tempat-tidur').waitFor();

    expect(await page.locator('#tempat-tidur-judul').textContent()).toBe('Tempat tidur UPT Uji Tempat Tidur');
    const row = (kelas: string) =>
      page.locator(`#daftar-tempat-tidur tr[data-kelas="${kelas}"]`).evaluate((tr) => [...tr.children].map((cell) => cell.textContent));
    expect(await row('M-adult')).toEqual(['Laki-laki, dewasa (18–59)', '3', '1', '2', '0']);
    expect(await row('F-adult')).toEqual(['Perempuan, dewasa (18–59)', '1', '0', '0', '1']);
    expect(await row('semua')).toEqual(['Jumlah', '4', '1', '2', '1']);
    expect(await page.locator('#tempat-tidur-menunggu').textContent()).toMatch(/^1 kasus menunggu/);
    // On a 360-px phone too, readable and reachable by keyboard.
    await page.setViewportSize({ width: 360, height: 740 });
    await expectAccessible(page, '#tempat-tidur');
    await page.context().close();
  });
});
