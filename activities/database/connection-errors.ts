/**
 * A client an activity has checked out of the pool (a transaction: beds, alerts, the audit trail)
 * has no error listener of the pool's. When PostgreSQL cuts the connection meanwhile (a restart, a
 * failover, pg_terminate_backend), pg emits 'error' on that client, and an 'error' event nobody
 * listens to ends the worker process. With this listener the process lives on: the query in
 * flight fails anyway (its activity is retried), and the pool drops the dead client on release.
 */
import type { Pool } from '../../db/pool.js';

const guarded = new WeakSet<Pool>();

export function survivePostgresRestarts(pool: Pool): void {
  if (guarded.has(pool)) return;
  guarded.add(pool);
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
}
