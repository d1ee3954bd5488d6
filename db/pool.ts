import pg from 'pg';
import { config } from '../config.js';

export type Pool = pg.Pool;

export function createPool(
  databaseUrl = config.databaseUrl,
  max = config.databasePoolSize,
  connectionTimeoutMillis = config.databaseConnectTimeoutMs,
): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis });
  // A client losing its connection (a database restart) must not crash the process: an idle one
  // reports to the pool; a checked-out one (a transaction) has no listener of the pool's, and an
  // 'error' event nobody listens to ends the process. The query in flight fails anyway (an
  // activity is retried, a request answered 503), and the pool drops the dead client on release.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
