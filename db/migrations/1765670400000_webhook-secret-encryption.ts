/**
 * Webhook secrets encrypted at rest (encryption/webhook-secrets.ts): two columns for the sealed
 * secret and its key ID, every existing clear secret sealed with the payload keyring, and the
 * clear column dropped, in one transaction with the migration's own bookkeeping. The encryption
 * happens here rather than on a later start, so that no code path ever reads a clear secret and
 * no row is left clear by a start that fails halfway.
 *
 * The clear secrets are read first (under node-pg-migrate's lock, before its transaction) and
 * sealed in this process; the statements below then run as one transaction. A webhook an older
 * API process registered in between has no sealed secret, so `SET NOT NULL` fails, everything
 * rolls back, and the next start migrates again. The keys are needed only when there are secrets
 * to seal: the API migrates on start with the keys it runs with (PPKS_PAYLOAD_KEYS, locally the
 * dev key), and a migration without keys in production stops with an error and changes nothing.
 *
 * TypeScript, not SQL like the others, because sealing needs the keyring; node-pg-migrate loads it.
 */
import pg from 'pg';
import type { MigrationBuilder } from 'node-pg-migrate';
import { loadPayloadKeyring } from '../../encryption/keys.js';
import { WebhookSecrets } from '../../encryption/webhook-secrets.js';

export async function up(pgm: MigrationBuilder): Promise<void> {
  const { rows } = await pgm.db.query('SELECT id, secret FROM webhooks ORDER BY id');
  const secrets = rows.length > 0 ? new WebhookSecrets(loadPayloadKeyring()) : undefined;
  pgm.sql('ALTER TABLE webhooks ADD COLUMN secret_ciphertext bytea, ADD COLUMN secret_key_id text');
  for (const row of rows as { id: string; secret: string }[]) {
    const sealed = await secrets!.seal(row.id, row.secret);
    pgm.sql(
      `UPDATE webhooks SET secret_ciphertext = decode('${sealed.ciphertext.toString('hex')}', 'hex'),
         secret_key_id = ${pg.escapeLiteral(sealed.keyId)} WHERE id = ${pg.escapeLiteral(row.id)}`,
    );
  }
  pgm.sql(
    `ALTER TABLE webhooks DROP COLUMN secret,
       ALTER COLUMN secret_ciphertext SET NOT NULL, ALTER COLUMN secret_key_id SET NOT NULL`,
  );
  pgm.sql(
    `COMMENT ON COLUMN webhooks.secret_ciphertext IS 'The signing secret as an encrypted Temporal Payload (AES-256-GCM, payload keyring; encryption/webhook-secrets.ts)'`,
  );
}

/** Back to clear secrets: needs the keys each secret was sealed with. */
export async function down(pgm: MigrationBuilder): Promise<void> {
  const { rows } = await pgm.db.query('SELECT id, secret_ciphertext FROM webhooks ORDER BY id');
  const secrets = rows.length > 0 ? new WebhookSecrets(loadPayloadKeyring()) : undefined;
  pgm.sql('ALTER TABLE webhooks ADD COLUMN secret text');
  for (const row of rows as { id: string; secret_ciphertext: Buffer }[]) {
    const secret = await secrets!.open(row.id, row.secret_ciphertext);
    pgm.sql(`UPDATE webhooks SET secret = ${pg.escapeLiteral(secret)} WHERE id = ${pg.escapeLiteral(row.id)}`);
  }
  pgm.sql('ALTER TABLE webhooks DROP COLUMN secret_ciphertext, DROP COLUMN secret_key_id, ALTER COLUMN secret SET NOT NULL');
}
