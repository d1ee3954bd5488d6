/**
 * A UPT's people see their own beds above their work list (console, Tugas): per bed class the
 * beds, those occupied, those reserved and those free, and the cases waiting for a bed. Uses a UPT
 * of its own serving korban_tindak_kekerasan, which no seeded UPT and no other test file serves, so
 * every figure comes from this file's cases: three men placed there (one admitted, two on the way)
 * fill the men's class, and a fourth waits. Dinsos Jatim then moves one of them to a second
 * UPT of the file's own, picked from the list on the transfer's form.
 */
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agenciesFor, openCase, postStep } from '../support/cases.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium } from '../support/chromium.js';
import { masuk } from '../support/masuk.js';
import { personIn } from '../support/people.js';
import { type AgencyClient, agencyClient, eventually, startService, type RunningService } from '../support/service.js';

const run = randomUUID().slice(0, 8);
const UPT = `test_beds_${run}`;
/** A second UPT of this file's, which Dinsos Jatim moves a man to. */
const OTHER_UPT = `test_beds_other_${run}`;
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
  await addUpt(UPT, 'UPT Uji Tempat Tidur', 'Sidoarjo', [
    { sex: 'M', ageGroup: 'adult', beds: 3 },
    { sex: 'F', ageGroup: 'adult', beds: 1 },
  ]);
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

/** A UPT of this file's own, serving only its PPKS type, with the beds a supervisor sets through the API. */
async function addUpt(code: string, name: string, city: string, capacity: { sex: 'M' | 'F'; ageGroup: 'adult'; beds: number }[]) {
  await service.pool.query(
    `INSERT INTO upts (code, name, city, region_code, capacity, capacity_reported) VALUES ($1, $2, $3, NULL, 0, false)`,
    [code, name, city],
  );
  const beds = await agency.supervisor.put(`/v1/upts/${code}`, { serves: [PPKS_TYPE], needs: [], capacity });
  expect(beds.status, JSON.stringify(beds.body)).toBe(200);
}

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
    await masuk(page, uptPerson);
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

  it('lets Dinsos Jatim move a man on the way to another UPT, picked by name with its free beds, not by a typed code', async () => {
    // The man waiting is closed first: the new UPT's one bed is for the transfer.
    await postStep(agency.supervisor, cases[3]!, 'close', { reason: 'console beds test: no longer waiting' });
    await addUpt(OTHER_UPT, 'UPT Uji Pindahan', 'Malang', [{ sex: 'M', ageGroup: 'adult', beds: 1 }]);
    const jatim = await personIn(service, 'dinsos_prov', {}, 'Dewi Dinsos Jatim');
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${service.baseUrl}/kasus/${cases[1]}`);
    await masuk(page, jatim);
    await page.click('#langkah [data-langkah=transferUpt]');
    const choice = page.locator(`#isian-toUpt option[value="${OTHER_UPT}"]`);
    await expect.poll(() => choice.count()).toBe(1);
    expect(await choice.textContent()).toBe('UPT Uji Pindahan — Malang (1 tempat kosong)');
    expect(await page.locator('label[for=isian-toUpt]').textContent()).toContain('UPT tujuan');
    await page.selectOption('#isian-toUpt', OTHER_UPT);
    await page.fill('#isian-reason', 'Dekat dengan keluarga angkat');
    await page.click('#form-langkah button[type=submit]');
    await expect.poll(() => page.locator('#riwayat li').last().innerText(), { timeout: 20_000 }).toContain('transferred');
    expect((await agency.supervisor.get(`/v1/cases/${cases[1]}`)).body.upt).toBe(OTHER_UPT);
    expect((await agency.supervisor.get(`/v1/upts/${OTHER_UPT}`)).body).toMatchObject({ reserved: 1 });
    await page.context().close();
  });
});
