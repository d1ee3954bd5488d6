import pg from 'pg';
import { config } from '../config.js';

export type Pool = pg.Pool;

export function createPool(databaseUrl = config.databaseUrl, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
}
