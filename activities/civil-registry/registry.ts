/**
 * The civil registry (Dukcapil) as this service needs it: NIK in, current domicile out.
 *
 * Contract for any implementation (the national registry adapter included):
 * - `findDomicile(nik)` resolves to the person's current domicile, or null when the registry
 *   has no record of that NIK. It never answers with the NIK's issuing region as a guess.
 * - It rejects (throws) only when the registry cannot be asked; the activity is then retried.
 * - `regionCode` is a Kemendagri kab/kota code `PP.KK`; `address` is personal data.
 */
import type { Pool } from '../../db/pool.js';

export interface Domicile {
  regionCode: string;
  address: string | null;
}

export interface CivilRegistry {
  findDomicile(nik: string): Promise<Domicile | null>;
}

/** The default registry: a PostgreSQL table, loaded from CSV with `npm run registry -- load`. */
export class PostgresCivilRegistry implements CivilRegistry {
  constructor(private readonly pool: Pool) {}

  async findDomicile(nik: string): Promise<Domicile | null> {
    const { rows } = await this.pool.query<{ region_code: string; address: string | null }>(
      'SELECT region_code, address FROM civil_registry WHERE nik = $1',
      [nik],
    );
    return rows[0] ? { regionCode: rows[0].region_code, address: rows[0].address } : null;
  }

  async upsert(nik: string, domicile: Domicile): Promise<void> {
    await this.pool.query(
      `INSERT INTO civil_registry (nik, region_code, address) VALUES ($1, $2, $3)
       ON CONFLICT (nik) DO UPDATE SET region_code = EXCLUDED.region_code, address = EXCLUDED.address, updated_at = now()`,
      [nik, domicile.regionCode, domicile.address],
    );
  }
}
