/**
 * Home in another province: repatriation becomes a relay through the transit province's Dinsos
 * (docs/domain-facts.md section 5), each leg a departure and a handover under its own SLA.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCivilRegistry } from '../../activities/civil-registry/registry.js';
import { relayLegs, transitProvince } from '../../domain/provinces.js';
import { recordHistory } from '../support/record-history.js';
import { agenciesFor, CASE_AGENCIES, openCase, postStep } from '../support/cases.js';
import { type AgencyClient, startService, type RunningService } from '../support/service.js';

let service: RunningService;
let agency: Record<keyof typeof CASE_AGENCIES, AgencyClient>;

beforeAll(async () => {
  service = await startService();
  agency = await agenciesFor(service, 'Relay', CASE_AGENCIES);
});

afterAll(async () => {
  await service?.stop();
});

/** A man found in Surabaya, with his NIK when one is given. */
const newCase = async (nik?: string) => (await openCase(agency.satpol, { person: { sex: 'M', ...(nik ? { nik } : {}) } })).caseNumber;
/** A step Dinsos Jatim posts, which must be taken. */
const post = (n: string, path: string, body: unknown) => postStep(agency.prov, n, path, body);

describe('the relay', () => {
  it('follows the transit rules of the source', () => {
    expect([
      transitProvince('32'),
      transitProvince('34'),
      transitProvince('31'),
      transitProvince('12'),
      transitProvince('53'),
      transitProvince('64'),
      transitProvince('73'),
      transitProvince('91'),
    ]).toEqual(['34', '34', '33', '33', '51', '63', '73', '73']);
    expect(relayLegs('51')).toEqual([{ to: '51' }]);
  });

  it('takes a person home to Makassar via Sulsel in one leg, and to Papua via Sulsel in two', async () => {
    const makassar = await newCase();
    expect((await agency.dukcapil.post(`/v1/cases/${makassar}/identification`, { outcome: 'not_matched' })).status).toBe(200);
    const toRelay = await post(makassar, 'address', { outcome: 'found', homeProvince: '73' });
    expect(toRelay).toMatchObject({ stage: 'relay', homeProvince: '73', ownerRole: 'dinsos_prov', sla: { stage: 'relay_departure' } });
    expect(toRelay.waitingFor).toContain('Sulawesi Selatan');
    expect((await agency.prov.post(`/v1/cases/${makassar}/relay/handover`, { receivedBy: 'x' })).status).toBe(409);
    const departed = await post(makassar, 'relay/departure', { transport: 'KM Bukit Siguntang' });
    expect(departed.sla!.stage).toBe('relay_handover');
    const home = await post(makassar, 'relay/handover', { receivedBy: 'Dinsos Sulsel' });
    expect(home).toMatchObject({ status: 'closed', outcome: 'relayed_home' });

    const papua = await newCase();
    await agency.dukcapil.post(`/v1/cases/${papua}/identification`, { outcome: 'not_matched' });
    await post(papua, 'address', { outcome: 'found', homeProvince: '91' });
    await post(papua, 'relay/departure', {});
    const transit = await post(papua, 'relay/handover', { receivedBy: 'Dinsos Sulsel' });
    expect(transit).toMatchObject({ stage: 'relay', status: 'open' });
    expect(transit.waitingFor).toContain('Papua');
    await post(papua, 'relay/departure', {});
    const arrived = await post(papua, 'relay/handover', { receivedBy: 'Dinsos Papua' });
    expect(arrived).toMatchObject({ status: 'closed', outcome: 'relayed_home' });
    expect(
      arrived.steps.filter((step) => step.outcome.startsWith('relay_')).map((step) => `${step.outcome}:${step.details!.toProvince}`),
    ).toEqual(['relay_departed:73', 'relay_received:73', 'relay_departed:91', 'relay_received:91']);
    await recordHistory(service, papua, 'relay-home');
  });

  it('starts a relay by itself when the civil registry names a home in another province', async () => {
    const nik = '3374011505800003';
    await new PostgresCivilRegistry(service.pool).upsert(nik, { regionCode: '33.74', address: null });
    const n = await newCase(nik);
    const identified = await agency.dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'matched', nik });
    expect(identified.body).toMatchObject({ stage: 'relay', homeProvince: '33' });
    expect(identified.body.steps.at(-1)).toMatchObject({
      outcome: 'found',
      by: 'system',
      details: { source: 'civil_registry', homeProvince: '33' },
    });
    await post(n, 'relay/departure', {});
    expect(await post(n, 'relay/handover', { receivedBy: 'Dinsos Jateng' })).toMatchObject({ status: 'closed', outcome: 'relayed_home' });
    await recordHistory(service, n, 'relay-from-registry');
  });

  it('refuses an address with both a region and a province, or East Java as the province', async () => {
    const n = await newCase();
    await agency.dukcapil.post(`/v1/cases/${n}/identification`, { outcome: 'not_matched' });
    const both = await agency.prov.post(`/v1/cases/${n}/address`, { outcome: 'found', homeRegion: '35.09', homeProvince: '33' });
    expect(both.status).toBe(400);
    expect((await agency.prov.post(`/v1/cases/${n}/address`, { outcome: 'found', homeProvince: '35' })).status).toBe(400);
  });
});
