/**
 * The console's alert inbox and dashboard (issue 16) in headless Chromium. Dinsos Jatim
 * acknowledges a no-bed alert (raised by the worker's own activity for a real case) and snoozes
 * another, and is told in words why it may not acknowledge a supervisor's. A supervisor's dashboard
 * draws its charts from cases repatriated through the API this month, and from index rows in a
 * month no other test uses for exact figures; a table's CSV holds what the table shows. Both
 * screens pass axe (no serious or critical violation) and run under the console's CSP.
 */
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertActivities } from '../../activities/database/alerts.js';
import type { StageStay } from '../../domain/case-view.js';
import { expectAccessible } from '../support/axe.js';
import { agenciesFor, CASE_AGENCIES, openCase, postStep } from '../support/cases.js';
import { launchChromium } from '../support/chromium.js';
import { personIn } from '../support/people.js';
import { masuk } from '../support/masuk.js';
import { agencyClient, eventually, startService, type AgencyClient, type RunningService } from '../support/service.js';

let service: RunningService;
let browser: Browser;
let agency: Record<keyof typeof CASE_AGENCIES | 'surabaya', AgencyClient>;
/** A month long past that only this file writes: its figures are exact. */
const PAST_MONTH = '2017-03';
const pastPrefix = `${PAST_MONTH}-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

beforeAll(async () => {
  service = await startService();
  browser = await launchChromium();
  agency = await agenciesFor(service, 'Console dashboard', { ...CASE_AGENCIES, surabaya: ['dinsos_kabkota', { regionCode: '35.78' }] });
});

afterAll(async () => {
  await service?.pool.query('DELETE FROM cases WHERE case_number LIKE $1', [`${pastPrefix}-%`]);
  await browser?.close();
  await service?.stop();
});

/** A tab that records the console's CSP refusals (the chart library must draw without inline styles or scripts). */
async function newPage(): Promise<{ page: Page; cspRefusals: string[] }> {
  // A context of its own: axe needs one to look into frames.
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  const cspRefusals: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) cspRefusals.push(message.text());
  });
  return { page, cspRefusals };
}

async function signIn(page: Page, role: string, scope: { regionCode?: string } = {}): Promise<{ apiKey: string }> {
  const person = await personIn(service, role, scope);
  await page.goto(`${service.baseUrl}/`);
  await masuk(page, person, role);
  await page.locator('#sudah-masuk').waitFor();
  return { apiKey: person.apiKey };
}

/** An alert raised by the worker's own activity, as the case workflow raises them (webhook delivery left out). */
async function alertFor(caseNumber: string, kind: 'no_bed' | 'sla_breach', recipientRole: string): Promise<string> {
  const raise = alertActivities(service.pool, async () => {}).raiseAlert;
  const { alertId } = await raise({
    alertKey: `case-${caseNumber}/console-test/${kind}/${recipientRole}`,
    kind,
    caseNumber,
    stage: 'placement',
    step: 'placement',
    level: recipientRole === 'supervisor' ? 1 : 0,
    recipientRole,
    regionCode: '35.78',
    uptCode: null,
    dueAt: kind === 'sla_breach' ? new Date().toISOString() : null,
  });
  return alertId;
}

describe('Peringatan', () => {
  it('acknowledges an alert with a note and snoozes another, and words a refusal', async () => {
    const n = (await openCase(agency.satpol)).caseNumber;
    const noBed = await alertFor(n, 'no_bed', 'dinsos_prov');
    const breach = await alertFor(n, 'sla_breach', 'dinsos_prov');
    const forSupervisor = await alertFor(n, 'sla_breach', 'supervisor');
    const { page, cspRefusals } = await newPage();
    const { apiKey } = await signIn(page, 'dinsos_prov');
    const prov = agencyClient(service.baseUrl, apiKey);
    await page.click('nav >> text=Peringatan');
    await page.waitForURL(`${service.baseUrl}/peringatan`);

    const card = page.locator(`li[data-peringatan="${noBed}"]`);
    await card.waitFor();
    expect(await card.locator('h2').innerText()).toBe(`Tidak ada tempat tidur UPT yang kosong: Kasus ${n}`);
    expect(await card.getByRole('link').getAttribute('href')).toBe(`/kasus/${n}`);
    // Addressed to supervisors: in Dinsos Jatim's scope, but not in its inbox by default.
    expect(await page.locator(`li[data-peringatan="${forSupervisor}"]`).count()).toBe(0);
    await expectAccessible(page);

    await card.locator('textarea[name=catatan]').fill('Minta tempat ke Kemensos');
    await card.getByRole('button', { name: 'Konfirmasi' }).click();
    await expect.poll(() => card.count()).toBe(0);
    expect(await page.locator('#peringatan-hasil').innerText()).toBe(`Peringatan kasus ${n} sudah dikonfirmasi.`);
    expect((await prov.get(`/v1/alerts?caseNumber=${n}&status=open`)).body.items.map((a: { id: string }) => a.id)).not.toContain(noBed);
    const acknowledged = (await prov.get(`/v1/alerts?caseNumber=${n}&status=acknowledged`)).body.items;
    expect(acknowledged).toEqual([expect.objectContaining({ id: noBed, acknowledgedAt: expect.any(String) })]);
    const note = await service.pool.query('SELECT acknowledgement_note FROM alerts WHERE id = $1', [noBed]);
    expect(note.rows[0].acknowledgement_note).toBe('Minta tempat ke Kemensos');

    const breachCard = page.locator(`li[data-peringatan="${breach}"]`);
    await breachCard.locator('select[name=lama]').selectOption('PT4H');
    await breachCard.getByRole('button', { name: 'Tunda' }).click();
    await expect.poll(() => breachCard.count()).toBe(0);
    expect(await page.locator('#peringatan-hasil').innerText()).toMatch(new RegExp(`^Peringatan kasus ${n} ditunda sampai .* WIB\\.$`));
    const snoozed = (await prov.get(`/v1/alerts?caseNumber=${n}&status=snoozed`)).body.items;
    expect(snoozed).toEqual([expect.objectContaining({ id: breach, snoozeCount: 1 })]);
    const hoursAhead = (Date.parse(snoozed[0].snoozedUntil) - Date.now()) / 3_600_000;
    expect(hoursAhead).toBeGreaterThan(3.9);
    expect(hoursAhead).toBeLessThanOrEqual(4);
    await page.selectOption('select[name=keadaan]', 'snoozed');
    expect(await breachCard.locator('.status-peringatan').innerText()).toMatch(/^Ditunda sampai .* WIB$/);

    // Every alert in scope, the supervisor's too: acknowledging it is refused, in words.
    await page.selectOption('select[name=keadaan]', 'open');
    await page.uncheck('input[name=untuk_kami]');
    const supervisorsCard = page.locator(`li[data-peringatan="${forSupervisor}"]`);
    await supervisorsCard.getByRole('button', { name: 'Konfirmasi' }).click();
    await expect
      .poll(() => supervisorsCard.locator('[role=alert]').innerText())
      .toBe('Peringatan ini ditujukan kepada instansi lain: instansi Anda hanya dapat melihatnya.');
    expect((await prov.get(`/v1/alerts?caseNumber=${n}&status=open`)).body.items.map((a: { id: string }) => a.id)).toEqual([forSupervisor]);
    expect(cspRefusals).toEqual([]);
    await page.context().close();
  });
});

/** A case in the index with these stays only, as GET /v1/stats reads it. */
async function indexCase(caseNumber: string, stays: StageStay[]): Promise<void> {
  await service.pool.query(
    `INSERT INTO cases (case_number, revision, status, stage, ppks_type, found_region, opened_at, view)
     VALUES ($1, 1, 'closed', 'closed', 'gelandangan', '35.78', $2, $3)`,
    [caseNumber, stays[0]!.enteredAt, JSON.stringify({ caseNumber, stays })],
  );
}

const stay = (stage: StageStay['stage'], enteredAt: string, hours: number, breached = false): StageStay => ({
  stage,
  enteredAt,
  leftAt: new Date(Date.parse(enteredAt) + hours * 3_600_000).toISOString(),
  ownerRole: stage === 'follow_up' ? 'dinsos_kabkota' : 'dinsos_prov',
  breached,
  pausedMs: 0,
});

/** The rows of a figure's table as shown, header first. */
async function tableOf(page: Page, figure: string): Promise<string[][]> {
  return page
    .locator(`#${figure} table tr`)
    .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell as HTMLElement).innerText.trim())));
}

describe('Dasbor', () => {
  it("draws a supervisor's charts from real cases and exports a table as CSV", async () => {
    // Two people found in Surabaya and handed over to Dinsos Surabaya this month.
    for (let i = 0; i < 2; i++) {
      const n = (await openCase(agency.satpol)).caseNumber;
      await postStep(agency.dukcapil, n, 'identification', { outcome: 'not_matched' });
      await postStep(agency.prov, n, 'address', { outcome: 'found', homeRegion: '35.78' });
      await postStep(agency.prov, n, 'repatriation/departure', {});
      await postStep(agency.surabaya, n, 'repatriation/handover', { receivedBy: 'Petugas Dinsos Surabaya' });
    }
    const { page, cspRefusals } = await newPage();
    await signIn(page, 'supervisor');
    await page.click('nav >> text=Dasbor');
    await page.waitForURL(`${service.baseUrl}/dasbor`);
    await page.locator('#pemulangan table').waitFor();

    // Bars drawn from data; the current month's row (the last) says what the API says.
    expect(await page.locator('#pemulangan .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await eventually(async () => {
      const month = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
      const stats = await agency.supervisor.get(`/v1/stats?from=${month}&to=${month}`);
      const repatriations = stats.body.repatriationsByMonth[0]?.repatriations ?? 0;
      expect(repatriations).toBeGreaterThanOrEqual(2);
      await page.reload();
      await page.locator('#pemulangan table').waitFor();
      expect((await tableOf(page, 'pemulangan')).at(-1)![1]).toBe(String(repatriations));
    });
    const stages = await tableOf(page, 'waktu-tahap');
    // Steps posted milliseconds apart: their stays are counted, their hours round to 0 (no bar to see).
    expect(Number(stages.find((row) => row[0] === 'Pemulangan')![1])).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#upt .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    // On a 360-px phone the tables scroll sideways, by keyboard too.
    await page.setViewportSize({ width: 360, height: 740 });
    await expectAccessible(page);
    await page.setViewportSize({ width: 1280, height: 720 });

    // Exact figures in a month only this file writes: one stay of 10 h, one of 20 h and breached.
    await indexCase(`${pastPrefix}-1`, [
      stay('repatriation', '2017-03-02T10:00:00+07:00', 10),
      stay('follow_up', '2017-03-02T20:00:00+07:00', 1),
    ]);
    await indexCase(`${pastPrefix}-2`, [
      stay('repatriation', '2017-03-10T10:00:00+07:00', 20, true),
      stay('follow_up', '2017-03-11T06:00:00+07:00', 1),
    ]);
    await page.fill('input[name=dari]', PAST_MONTH);
    await page.fill('input[name=sampai]', PAST_MONTH);
    await page.waitForURL(`${service.baseUrl}/dasbor?dari=${PAST_MONTH}&sampai=${PAST_MONTH}`);
    await expect
      .poll(() => tableOf(page, 'pemulangan'))
      .toEqual([
        ['Bulan', 'Pemulangan'],
        ['Mar 2017', '2'],
      ]);
    expect(await tableOf(page, 'langgar-tahap')).toEqual([
      ['Tahap', 'Kasus masuk tahap', 'Lewat tenggat', 'Lewat tenggat (%)'],
      ['Pemulangan', '2', '1', '50'],
      ['Pemantauan', '2', '0', '0'],
    ]);
    expect((await tableOf(page, 'waktu-tahap'))[1]).toEqual(['Pemulangan', '2', '2', '15', '15', '0']);
    for (const figure of ['waktu-tahap', 'langgar-tahap', 'pemulangan']) {
      expect(await page.locator(`#${figure} .recharts-bar-rectangle`).count(), figure).toBeGreaterThan(0);
    }

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#langgar-tahap button.unduh')]);
    expect(download.suggestedFilename()).toBe(`langgar-tahap-${PAST_MONTH}-${PAST_MONTH}.csv`);
    const csv = Papa.parse<string[]>(await readFile((await download.path())!, 'utf8'), { skipEmptyLines: true });
    expect(csv.data).toEqual(await tableOf(page, 'langgar-tahap'));
    expect(cspRefusals).toEqual([]);
    await page.context().close();
  });

  it('is not offered to an agency without the statistics grant', async () => {
    const { page } = await newPage();
    await signIn(page, 'dinsos_kabkota', { regionCode: '35.78' });
    expect(await page.locator('nav >> text=Peringatan').count()).toBe(1);
    expect(await page.locator('nav >> text=Dasbor').count()).toBe(0);
    await page.context().close();
  });
});
