/**
 * The 26 statutory PPKS types (Permensos 08/2012; kept by Permensos 5/2019).
 * Sources: http://iariadi.web.id/pedoman-pendataan-dan-pengelolaan-data-penyandang-masalah-kesejahteraan-sosial-dan-potensi-dan-sumber-kesejahteraan-sosial/; https://adoc.pub/berita-negara-republik-indonesia877e087568466850bf33434c21f2246399074.html; https://dinsos.sukabumikota.go.id/halaman/detail/pemerlu-pelayanan-kesejahteraan-sosial-ppks
 */
export const PPKS_TYPES = {
  anak_balita_terlantar: 'Anak Balita Terlantar',
  anak_terlantar: 'Anak Terlantar',
  anak_berhadapan_hukum: 'Anak yang Berhadapan dengan Hukum',
  anak_jalanan: 'Anak Jalanan',
  anak_dengan_kedisabilitasan: 'Anak dengan Kedisabilitasan (ADK)',
  anak_korban_kekerasan: 'Anak yang Menjadi Korban Tindak Kekerasan atau Diperlakukan Salah',
  anak_perlindungan_khusus: 'Anak yang Memerlukan Perlindungan Khusus',
  lanjut_usia_terlantar: 'Lanjut Usia Terlantar',
  penyandang_disabilitas: 'Penyandang Disabilitas',
  tuna_susila: 'Tuna Susila',
  gelandangan: 'Gelandangan',
  pengemis: 'Pengemis',
  pemulung: 'Pemulung',
  kelompok_minoritas: 'Kelompok Minoritas',
  bwblp: 'Bekas Warga Binaan Lembaga Pemasyarakatan (BWBLP)',
  odha: 'Orang dengan HIV/AIDS (ODHA)',
  korban_napza: 'Korban Penyalahgunaan NAPZA',
  korban_trafficking: 'Korban Trafficking',
  korban_tindak_kekerasan: 'Korban Tindak Kekerasan',
  pmbs: 'Pekerja Migran Bermasalah Sosial (PMBS)',
  korban_bencana_alam: 'Korban Bencana Alam',
  korban_bencana_sosial: 'Korban Bencana Sosial',
  perempuan_rawan_sosial_ekonomi: 'Perempuan Rawan Sosial Ekonomi',
  fakir_miskin: 'Fakir Miskin',
  keluarga_bermasalah_sosial_psikologis: 'Keluarga Bermasalah Sosial Psikologis',
  komunitas_adat_terpencil: 'Komunitas Adat Terpencil',
} as const;

export type PpksTypeCode = keyof typeof PPKS_TYPES;

export const PPKS_TYPE_CODES = Object.keys(PPKS_TYPES) as [PpksTypeCode, ...PpksTypeCode[]];

export function isPpksType(code: string): code is PpksTypeCode {
  return Object.hasOwn(PPKS_TYPES, code);
}
