/**
 * A changed shipped default SLA reaches a database that already holds the old one, unless a
 * supervisor has set that step's policy: then the supervisor's value stays and the log says the
 * shipped default differs. On a database of its own, so no other test's policies move.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { dropDatabase } from '../../db/admin.js';
import { createPool, inTransaction, type Pool } from '../../db/pool.js';
import { prepareDatabase } from '../../db/prepare.js';
import { seedSlaPolicies } from '../../db/seed-sla-policies.js';
import { DEFAULT_SLA_POLICIES } from '../../domain/sla-defaults.js';

const databaseUrl = inject('databaseUrl').replace(/\/[^/]+$/, '/ppks_test_sla_defaults');
let pool: Pool;

beforeAll(async () => {
  await dropDatabase(databaseUrl);
  await prepareDatabase(databaseUrl);
  pool = createPool(databaseUrl, 2);
});

afterAll(async () => {
  await pool?.end();
  await dropDatabase(databaseUrl);
});

const policyOf = async (step: string) =>
  (
    await pool.query<{ duration: string; version: number; updated_by: string }>(
      'SELECT duration, version, updated_by FROM sla_policies WHERE step = $1 AND ppks_type IS NULL',
      [step],
    )
  ).rows[0]!;

it('applies a changed default to a step no supervisor edited, keeps an edited one, and logs both', async () => {
  expect(await policyOf('identification')).toMatchObject({ duration: 'P2D', version: 1, updated_by: 'seed' });
  await pool.query("UPDATE sla_policies SET duration = 'P5D', version = 2, updated_by = 'agency-supervisor' WHERE step = 'address_lookup'");
  const lines: { level: string; step: string; message: string }[] = [];
  const log = {
    info: (fields: { step: string }, message: string) => lines.push({ level: 'info', step: fields.step, message }),
    warn: (fields: { step: string }, message: string) => lines.push({ level: 'warn', step: fields.step, message }),
  };
  const shipped = Object.values(DEFAULT_SLA_POLICIES).map((policy) =>
    policy.step === 'identification' || policy.step === 'address_lookup' ? { ...policy, duration: 'P4D' } : policy,
  );

  await inTransaction(pool, (client) => seedSlaPolicies(client, shipped, log as never));

  expect(await policyOf('identification')).toMatchObject({ duration: 'P4D', version: 2, updated_by: 'seed' });
  expect(await policyOf('address_lookup')).toMatchObject({ duration: 'P5D', version: 2, updated_by: 'agency-supervisor' });
  expect(await policyOf('follow_up')).toMatchObject({ duration: 'P30D', version: 1 });
  expect(lines).toEqual([
    { level: 'info', step: 'identification', message: 'shipped default SLA applied' },
    { level: 'warn', step: 'address_lookup', message: 'shipped default SLA differs; the policy a supervisor set is kept' },
  ]);
  const { rows } = await pool.query(
    "SELECT version, duration, reason FROM sla_policy_versions WHERE step = 'identification' ORDER BY version",
  );
  expect(rows).toEqual([
    { version: 1, duration: 'P2D', reason: null },
    { version: 2, duration: 'P4D', reason: 'shipped default changed' },
  ]);

  // Seeding again with the same defaults changes nothing and says nothing.
  lines.length = 0;
  await inTransaction(pool, (client) =>
    seedSlaPolicies(
      client,
      shipped.filter((p) => p.step !== 'address_lookup'),
      log as never,
    ),
  );
  expect(lines).toEqual([]);
  expect(await policyOf('identification')).toMatchObject({ version: 2 });
});
