/** The audit export's activity: signs both logs' heads into files outside the database (audit/export.ts). */
import type { KeyObject } from 'node:crypto';
import { exportSignedHeads, type HeadExport } from '../audit/export.js';
import { loadAuditSigningKey } from '../audit/signing-key.js';
import { config } from '../config.js';
import type { Pool } from '../db/pool.js';

export interface AuditExportOptions {
  /** Default: PPKS_AUDIT_SIGNING_KEY (or the dev key), loaded on the first export. */
  signingKey?: KeyObject;
  /** Default: AUDIT_EXPORT_DIR. */
  exportDir?: string;
}

export function auditExportActivities(pool: Pool, options: AuditExportOptions = {}) {
  let signingKey = options.signingKey;
  return {
    async exportSignedHeads(): Promise<HeadExport> {
      signingKey ??= loadAuditSigningKey();
      return exportSignedHeads(pool, signingKey, options.exportDir ?? config.auditExportDir);
    },
  };
}
