/** Changing the logs as someone with database superuser rights would: the append-only triggers bypassed. */
import { inTransaction, type Pool } from '../../db/pool.js';

export function tamperAsSuperuser(pool: Pool, sql: string): Promise<void> {
  return inTransaction(pool, async (client) => {
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql);
  });
}
