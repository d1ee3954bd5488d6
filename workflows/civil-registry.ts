/** The address lookup's first try: with a NIK, the civil registry (DP3AK's records) may know the home. */
import { patched } from '@temporalio/workflow';
import { isOtherProvince } from '../domain/provinces.js';
import { isRegionCode } from '../domain/regions.js';
import { activities } from './activities.js';
import { type CaseState, isClosed, recordStep } from './case-state.js';
import { RELAY_PATCH } from './patches.js';

export async function askCivilRegistry(c: CaseState, nik: string): Promise<void> {
  const domicile = await activities.findDomicile(nik);
  // An agency may have posted the address meanwhile, or a supervisor closed the case: that stands.
  if (!domicile || c.addressDecided || isClosed(c)) return;
  const province = domicile.regionCode.slice(0, 2);
  if (isRegionCode(domicile.regionCode)) {
    c.view.homeRegion = domicile.regionCode;
    recordStep(c, { outcome: 'found', by: 'system', details: { source: 'civil_registry', homeRegion: domicile.regionCode } });
  } else if (isOtherProvince(province) && patched(RELAY_PATCH)) {
    c.view.homeProvince = province;
    recordStep(c, { outcome: 'found', by: 'system', details: { source: 'civil_registry', homeProvince: province } });
  } else {
    return; // before the relay existed, homes outside East Java were left to Dinsos
  }
  c.view.address = domicile.address;
  c.addressDecided = true;
}
