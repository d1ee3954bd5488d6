/**
 * Indonesia's provinces (Kemendagri codes) and the relay (estafet) that takes a stranded person
 * home to another province: Dinsos Jatim hands them to the Dinsos of a transit province, which
 * sends them on (docs/domain-facts.md section 5, harianbhirawa.co.id ?p=671310).
 */
const PROVINCES = {
  '11': 'Aceh',
  '12': 'Sumatera Utara',
  '13': 'Sumatera Barat',
  '14': 'Riau',
  '15': 'Jambi',
  '16': 'Sumatera Selatan',
  '17': 'Bengkulu',
  '18': 'Lampung',
  '19': 'Kepulauan Bangka Belitung',
  '21': 'Kepulauan Riau',
  '31': 'DKI Jakarta',
  '32': 'Jawa Barat',
  '33': 'Jawa Tengah',
  '34': 'DI Yogyakarta',
  '35': 'Jawa Timur',
  '36': 'Banten',
  '51': 'Bali',
  '52': 'Nusa Tenggara Barat',
  '53': 'Nusa Tenggara Timur',
  '61': 'Kalimantan Barat',
  '62': 'Kalimantan Tengah',
  '63': 'Kalimantan Selatan',
  '64': 'Kalimantan Timur',
  '65': 'Kalimantan Utara',
  '71': 'Sulawesi Utara',
  '72': 'Sulawesi Tengah',
  '73': 'Sulawesi Selatan',
  '74': 'Sulawesi Tenggara',
  '75': 'Gorontalo',
  '76': 'Sulawesi Barat',
  '81': 'Maluku',
  '82': 'Maluku Utara',
  '91': 'Papua',
  '92': 'Papua Barat',
  '93': 'Papua Selatan',
  '94': 'Papua Tengah',
  '95': 'Papua Pegunungan',
  '96': 'Papua Barat Daya',
} as const;
export type ProvinceCode = keyof typeof PROVINCES;
export const OTHER_PROVINCE_CODES = Object.keys(PROVINCES).filter((code) => code !== '35') as ProvinceCode[];

export const isOtherProvince = (code: string): code is ProvinceCode => code !== '35' && code in PROVINCES;
export const provinceLabel = (code: string | null) => (code && code in PROVINCES ? PROVINCES[code as ProvinceCode] : (code ?? '-'));

/**
 * The transit province of the relay: Jabar and DIY via DIY; Jateng, DKI and Sumatra via Jateng;
 * Bali, NTB and NTT via Bali; Kalimantan via Kalsel; Sulawesi and the east via Sulsel. Banten is
 * not named in the source: it is reached like DKI, via Jateng.
 */
export function transitProvince(home: ProvinceCode): ProvinceCode {
  const island = Number(home.slice(0, 1));
  if (home === '32' || home === '34') return '34';
  if (island === 1 || island === 2 || home === '31' || home === '33' || home === '36') return '33';
  if (island === 5) return '51';
  if (island === 6) return '63';
  return '73';
}

/** The legs of the relay: to the transit province, then on home unless that is the transit. */
export function relayLegs(home: ProvinceCode): { to: ProvinceCode }[] {
  const transit = transitProvince(home);
  return transit === home ? [{ to: home }] : [{ to: transit }, { to: home }];
}
