/**
 * The 38 kabupaten/kota of Jawa Timur (province 35), Kemendagri codes `PP.KK`.
 * Source: https://github.com/cahyadsn/wilayah/blob/master/db/wilayah_luas.sql (Kepmendagri 300.2.2-2138 Tahun 2025)
 * Kabupaten and kota can share a name (Kediri, Malang, ...): always key on the code.
 */
export const EAST_JAVA_PROVINCE = '35';

export const REGIONS = {
  '35.01': 'Kabupaten Pacitan',
  '35.02': 'Kabupaten Ponorogo',
  '35.03': 'Kabupaten Trenggalek',
  '35.04': 'Kabupaten Tulungagung',
  '35.05': 'Kabupaten Blitar',
  '35.06': 'Kabupaten Kediri',
  '35.07': 'Kabupaten Malang',
  '35.08': 'Kabupaten Lumajang',
  '35.09': 'Kabupaten Jember',
  '35.10': 'Kabupaten Banyuwangi',
  '35.11': 'Kabupaten Bondowoso',
  '35.12': 'Kabupaten Situbondo',
  '35.13': 'Kabupaten Probolinggo',
  '35.14': 'Kabupaten Pasuruan',
  '35.15': 'Kabupaten Sidoarjo',
  '35.16': 'Kabupaten Mojokerto',
  '35.17': 'Kabupaten Jombang',
  '35.18': 'Kabupaten Nganjuk',
  '35.19': 'Kabupaten Madiun',
  '35.20': 'Kabupaten Magetan',
  '35.21': 'Kabupaten Ngawi',
  '35.22': 'Kabupaten Bojonegoro',
  '35.23': 'Kabupaten Tuban',
  '35.24': 'Kabupaten Lamongan',
  '35.25': 'Kabupaten Gresik',
  '35.26': 'Kabupaten Bangkalan',
  '35.27': 'Kabupaten Sampang',
  '35.28': 'Kabupaten Pamekasan',
  '35.29': 'Kabupaten Sumenep',
  '35.71': 'Kota Kediri',
  '35.72': 'Kota Blitar',
  '35.73': 'Kota Malang',
  '35.74': 'Kota Probolinggo',
  '35.75': 'Kota Pasuruan',
  '35.76': 'Kota Mojokerto',
  '35.77': 'Kota Madiun',
  '35.78': 'Kota Surabaya',
  '35.79': 'Kota Batu',
} as const;

export type RegionCode = keyof typeof REGIONS;

export const REGION_CODES = Object.keys(REGIONS) as [RegionCode, ...RegionCode[]];

export function isRegionCode(code: string): code is RegionCode {
  return Object.hasOwn(REGIONS, code);
}

/** "Kota Surabaya (35.78)": how supervisors read a region in summaries and details. */
export function regionLabel(code: string | null): string {
  if (code === null) return 'unknown region';
  return isRegionCode(code) ? `${REGIONS[code]} (${code})` : code;
}
