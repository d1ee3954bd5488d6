/** OIDC_AGENCY_MAP (api/oidc.ts): which agency each value of the provider's group claim signs in to. */
import { describe, expect, it } from 'vitest';
import { agencyMap } from '../../api/oidc.js';

describe('OIDC_AGENCY_MAP', () => {
  it('maps claim values to agency IDs, splitting each entry at its last "="', () => {
    expect(agencyMap(' /dinsos/surabaya=agency_1 , cn=upt,agency_2=agency_3,')).toEqual(
      new Map([
        ['/dinsos/surabaya', 'agency_1'],
        ['cn', 'upt'],
        ['agency_2', 'agency_3'],
      ]),
    );
    expect(agencyMap('')).toEqual(new Map());
  });

  it('refuses an entry without a value or an agency, naming the setting', () => {
    for (const value of ['dinsos', '=agency_1', 'dinsos=', 'a=agency_1,b']) {
      expect(() => agencyMap(value)).toThrow(/OIDC_AGENCY_MAP must be "claim value=agency ID,…"/);
    }
  });
});
