/**
 * Cases from intake to closure through the console's screens alone (issue 16), in headless
 * Chromium: each person signs in on Masuk in a browser of their own, finds the case in Tugas, and
 * records their step through its form on Kasus. Satpol PP Surabaya files the intake on
 * Penjangkauan; DP3AK records the identification; then either Dinsos Jatim records the address and
 * the departure home and Dinsos Surabaya (the home kab/kota) the handover and the follow-up visits,
 * or Dinsos Surabaya finds no address and the UPT admits the person and visits. The last visit
 * closes the case. Nothing is posted to the API by the test: it only reads, to assert.
 */
import { describe, expect, it } from 'vitest';
import { ANSWERED, consoleJourney, offered, openFromTugas, record } from '../support/console-journey.js';
import { personIn } from '../support/people.js';

const journey = consoleJourney();
const { signedIn, listedAt, fileIntake, identifyNoMatch, closedWithTrail } = journey;

describe('a case from intake to closure through the console alone', () => {
  it('is filed, identified, traced home, repatriated, handed over, visited and closed, each step by its own person', async () => {
    const satpol = await personIn(journey.service, 'satpol_pp', { regionCode: '35.78' }, 'Agus Satpol');
    const dp3ak = await personIn(journey.service, 'dukcapil', {}, 'Rina DP3AK');
    const jatim = await personIn(journey.service, 'dinsos_prov', {}, 'Dewi Dinsos Jatim');
    const surabaya = await personIn(journey.service, 'dinsos_kabkota', { regionCode: '35.78' }, 'Budi Dinsos Surabaya');

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
    const satpol = await personIn(journey.service, 'satpol_pp', { regionCode: '35.78' }, 'Agus Satpol');
    const dp3ak = await personIn(journey.service, 'dukcapil', {}, 'Rina DP3AK');
    const surabaya = await personIn(journey.service, 'dinsos_kabkota', { regionCode: '35.78' }, 'Budi Dinsos Surabaya');
    const upt = await personIn(journey.service, 'upt', { uptCode: 'balai_prs_pmks_sidoarjo' }, 'Sri UPT Sidoarjo');

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
