/**
 * Two more case paths through the console's screens alone, in headless Chromium (see
 * console-journey.test.ts for the usual one): each person signs in on Masuk in a browser of their
 * own, finds the case in Tugas and records their step through its generated form on Kasus.
 *
 * - The medical hold: Satpol PP Surabaya ticks a medical need on Penjangkauan, so the case waits on
 *   Dinkes first; Dinkes records the referral to a hospital, later the discharge, and only then does
 *   DP3AK get the identification. The test stops at the address lookup: from there the case goes on
 *   as any other (console-journey.test.ts drives those paths to closure).
 * - The relay: Dinsos Jatim records a home in Jawa Barat, so the person goes home by relay (via DI
 *   Yogyakarta, then Jawa Barat: two legs, each a departure and a handover); the last handover
 *   closes the case, East Java's part being done.
 *
 * Nothing is posted to the API by the test: it only reads, to assert and to wait for the case index.
 */
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { ANSWERED, consoleJourney, offered, openFromTugas, record } from '../support/console-journey.js';
import { personIn } from '../support/people.js';

const journey = consoleJourney();
const { signedIn, listedAt, fileIntake, identifyNoMatch, withTrail, closedWithTrail } = journey;

describe('more case paths through the console alone', () => {
  it('holds a person with a medical need for Dinkes: referred, discharged, then identified', async () => {
    const satpol = await personIn(journey.service, 'satpol_pp', { regionCode: '35.78' }, 'Agus Satpol');
    const dinkes = await personIn(journey.service, 'dinkes', {}, 'Lestari Dinkes');
    const dp3ak = await personIn(journey.service, 'dukcapil', {}, 'Rina DP3AK');

    const caseNumber = await fileIntake(satpol, ['medical']);

    // The case opens in the health stage, waiting on Dinkes: DP3AK's identification is not offered yet.
    await listedAt(caseNumber, 'health', 'dinkes');
    const health = await signedIn(dinkes, '/');
    await openFromTugas(health, caseNumber);
    expect(await health.locator('#kasus-tahap').textContent()).toBe('Kesehatan');
    expect(await offered(health)).toEqual(['recordHealthReferral']);
    await record(
      health,
      'recordHealthReferral',
      async () => {
        await health.selectOption('#isian-facilityType', 'hospital');
        await health.fill('#isian-facility', 'RSUD Dr. Soetomo Surabaya');
        await health.fill('#isian-referredAt', '2026-01-05T11:00');
      },
      'Kesehatan',
    );
    expect(await health.locator('#riwayat li').last().innerText()).toContain('referred');

    // Still in the health stage: now only the discharge is offered, and it moves the case on to DP3AK.
    await expect.poll(() => offered(health), ANSWERED).toEqual(['recordHealthDischarge']);
    await record(
      health,
      'recordHealthDischarge',
      async () => {
        await health.fill('#isian-dischargedAt', '2026-01-19T09:00');
        await health.fill('#isian-notes', 'Sudah pulih, boleh keluar dari rumah sakit');
      },
      'Identifikasi',
    );
    expect(await health.locator('#riwayat li').last().innerText()).toContain('discharged');
    expect(await health.locator('#kasus-pemegang').textContent()).toBe('DP3AK');
    await expect.poll(() => offered(health), ANSWERED).toEqual([]);
    await health.context().close();

    await identifyNoMatch(dp3ak, caseNumber);
    await listedAt(caseNumber, 'address_lookup', 'dinsos_prov');
    await withTrail(caseNumber, [
      ['case.intake', satpol.userId],
      ['case.health_referral', dinkes.userId],
      ['case.health_discharge', dinkes.userId],
      ['case.identification', dp3ak.userId],
    ]);
  });

  it('relays a person home to Jawa Barat via DI Yogyakarta, each leg recorded by Dinsos Jatim, and closes', async () => {
    const satpol = await personIn(journey.service, 'satpol_pp', { regionCode: '35.78' }, 'Agus Satpol');
    const dp3ak = await personIn(journey.service, 'dukcapil', {}, 'Rina DP3AK');
    const jatim = await personIn(journey.service, 'dinsos_prov', {}, 'Dewi Dinsos Jatim');

    const caseNumber = await fileIntake(satpol);
    await identifyNoMatch(dp3ak, caseNumber);

    // Dinsos Jatim traces the family to Jawa Barat: a home in another province, reached by relay.
    await listedAt(caseNumber, 'address_lookup', 'dinsos_prov');
    const province = await signedIn(jatim, '/');
    await openFromTugas(province, caseNumber);
    expect(await offered(province)).toEqual(['recordAddress']);
    await record(
      province,
      'recordAddress',
      async () => {
        await province.selectOption('#isian-outcome', 'found');
        await province.selectOption('#isian-homeProvince', '32');
        await province.fill('#isian-address', 'Jl. Cihampelas 40, Bandung');
      },
      'Estafet antarprovinsi',
    );
    const summary = province.locator('#kasus dl');
    expect(await summary.innerText()).toContain('DI Yogyakarta (relay leg 1)');
    expect(await province.locator('#kasus-asal').textContent()).toBe('Jawa Barat');

    // First leg: to the transit province's Dinsos (DI Yogyakarta), departure then handover.
    expect(await offered(province)).toEqual(['recordRelayDeparture']);
    await record(province, 'recordRelayDeparture', () => province.fill('#isian-transport', 'Kereta api Sancaka'), 'Estafet antarprovinsi');
    await expect.poll(() => offered(province), ANSWERED).toEqual(['recordRelayHandover']);
    await record(province, 'recordRelayHandover', () => province.fill('#isian-receivedBy', 'Sari (Dinsos DIY)'), 'Estafet antarprovinsi');

    // Second leg: on home to Jawa Barat's Dinsos; its handover ends East Java's part and closes the case.
    await expect.poll(() => summary.innerText(), ANSWERED).toContain('Jawa Barat (relay leg 2)');
    await expect.poll(() => offered(province), ANSWERED).toEqual(['recordRelayDeparture']);
    await record(province, 'recordRelayDeparture', () => province.fill('#isian-transport', 'Bus antarkota'), 'Estafet antarprovinsi');
    await expect.poll(() => offered(province), ANSWERED).toEqual(['recordRelayHandover']);
    await record(province, 'recordRelayHandover', () => province.fill('#isian-receivedBy', 'Asep (Dinsos Jabar)'), 'Selesai');
    expect(await province.locator('#kasus-status').textContent()).toBe('Ditutup');
    expect(await province.locator('#riwayat li').last().innerText()).toContain('relayed home');
    await province.locator('#langkah-kosong').waitFor();
    // The timeline names each step's agency; the persons behind them are for those who read the audit trail.
    expect(await province.locator('#riwayat').innerText()).toContain('oleh instansi Agency of dukcapil');
    expect(await province.locator('#jejak-audit').count()).toBe(0);
    await province.context().close();

    // An auditor (second factor enrolled on first sign-in) reads, under the timeline, who recorded each step.
    const auditor = await personIn(journey.service, 'auditor', {}, 'Hadi Inspektorat');
    const reading = await signedIn(auditor, `/kasus/${caseNumber}`, 'auditor');
    const trail = reading.locator('#jejak-audit li');
    await expect.poll(() => trail.count(), ANSWERED).toBeGreaterThanOrEqual(7);
    const byStep = await trail.evaluateAll((items) => items.map((item) => [item.dataset.aksi, item.textContent]));
    expect(byStep.find(([action]) => action === 'case.intake')?.[1]).toContain('oleh Agus Satpol (Agency of satpol_pp)');
    expect(byStep.find(([action]) => action === 'case.identification')?.[1]).toContain('oleh Rina DP3AK');
    expect(byStep.filter(([, text]) => text?.includes('oleh Dewi Dinsos Jatim'))).toHaveLength(5);
    await expectAccessible(reading, '#jejak-audit');
    await reading.context().close();

    await closedWithTrail(caseNumber, [
      ['case.intake', satpol.userId],
      ['case.identification', dp3ak.userId],
      ['case.address', jatim.userId],
      ['case.relay_departure', jatim.userId],
      ['case.relay_handover', jatim.userId],
      ['case.relay_departure', jatim.userId],
      ['case.relay_handover', jatim.userId],
    ]);
  });
});
