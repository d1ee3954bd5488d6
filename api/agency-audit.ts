/**
 * Agency and key lifecycle changes in the audit trail, appended in the transaction that makes
 * the change, so none is made unrecorded. Key IDs only: never a key or its hash.
 */
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { appendAudit } from '../audit/trail.js';

export type KeyChange = 'agency.added' | 'api_key.rotated' | 'api_key.revoked';

export async function auditKeyChange(
  client: PoolClient,
  action: KeyChange,
  agencyId: string,
  details: Record<string, string | number | null>,
): Promise<void> {
  // The key ID a change issues or revokes is new or changes once, so it makes the entry unique.
  const entryKey = `${action}:${details.keyId}`;
  await appendAudit(client, {
    entryKey,
    caseNumber: null,
    action,
    agencyId,
    // Done by an operator (`npm run agency`, or `npm start` creating the dev agencies), not by an agency over the API.
    role: 'operator',
    requestId: null,
    requestHash: createHash('sha256').update(JSON.stringify({ action, agencyId, details })).digest('hex'),
    at: new Date().toISOString(),
    details,
  });
}
