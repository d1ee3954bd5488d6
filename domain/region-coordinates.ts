/**
 * Approximate coordinates (latitude, longitude in degrees, WGS 84) of the seat of each of the 38
 * kab/kota of East Java: the kota itself, or the kabupaten's capital (Kanigoro for Kabupaten
 * Blitar, Ngasem for Kediri, Kepanjen for Malang, Kraksaan for Probolinggo, Bangil for Pasuruan,
 * Mojosari for Mojokerto, Mejayan for Madiun). Public geography as given by the kab/kota and
 * town articles of Wikipedia (id/en), rounded to 0.01° (about 1 km): only good enough to rank UPTs
 * by how far a person would travel, never for routing.
 */
import type { RegionCode } from './regions.js';

export const REGION_SEATS: Record<RegionCode, readonly [lat: number, lon: number]> = {
  '35.01': [-8.2, 111.1], // Pacitan
  '35.02': [-7.87, 111.46], // Ponorogo
  '35.03': [-8.05, 111.71], // Trenggalek
  '35.04': [-8.07, 111.9], // Tulungagung
  '35.05': [-8.13, 112.22], // Kanigoro
  '35.06': [-7.79, 112.05], // Ngasem
  '35.07': [-8.13, 112.57], // Kepanjen
  '35.08': [-8.13, 113.22], // Lumajang
  '35.09': [-8.17, 113.7], // Jember
  '35.10': [-8.22, 114.37], // Banyuwangi
  '35.11': [-7.91, 113.82], // Bondowoso
  '35.12': [-7.71, 114.01], // Situbondo
  '35.13': [-7.76, 113.41], // Kraksaan
  '35.14': [-7.6, 112.78], // Bangil
  '35.15': [-7.45, 112.72], // Sidoarjo
  '35.16': [-7.52, 112.56], // Mojosari
  '35.17': [-7.55, 112.23], // Jombang
  '35.18': [-7.6, 111.9], // Nganjuk
  '35.19': [-7.55, 111.66], // Mejayan
  '35.20': [-7.65, 111.34], // Magetan
  '35.21': [-7.4, 111.45], // Ngawi
  '35.22': [-7.15, 111.88], // Bojonegoro
  '35.23': [-6.9, 112.06], // Tuban
  '35.24': [-7.12, 112.42], // Lamongan
  '35.25': [-7.16, 112.65], // Gresik
  '35.26': [-7.05, 112.74], // Bangkalan
  '35.27': [-7.19, 113.24], // Sampang
  '35.28': [-7.16, 113.47], // Pamekasan
  '35.29': [-7.0, 113.86], // Sumenep
  '35.71': [-7.82, 112.01], // Kota Kediri
  '35.72': [-8.1, 112.17], // Kota Blitar
  '35.73': [-7.98, 112.63], // Kota Malang
  '35.74': [-7.75, 113.22], // Kota Probolinggo
  '35.75': [-7.65, 112.91], // Kota Pasuruan
  '35.76': [-7.47, 112.43], // Kota Mojokerto
  '35.77': [-7.63, 111.52], // Kota Madiun
  '35.78': [-7.26, 112.75], // Kota Surabaya
  '35.79': [-7.87, 112.52], // Kota Batu
};

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance between two kab/kota seats; Infinity when either region is unknown. */
export function seatDistanceKm(from: string | null, to: string | null): number {
  const seat = (code: string | null) => (code !== null && Object.hasOwn(REGION_SEATS, code) ? REGION_SEATS[code as RegionCode] : null);
  const [a, b] = [seat(from), seat(to)];
  if (!a || !b) return Infinity;
  const rad = (degrees: number) => (degrees * Math.PI) / 180;
  const h = Math.sin(rad(b[0] - a[0]) / 2) ** 2 + Math.cos(rad(a[0])) * Math.cos(rad(b[0])) * Math.sin(rad(b[1] - a[1]) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}
