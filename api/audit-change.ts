/**
 * A change accepted through the API, into the audit trail in the transaction that makes it:
 * who from the authenticated agency, the request's ID, and a hash of what was asked of which
 * target (never the body itself).
 */
import type { Request } from 'express';
import type pg from 'pg';
import { appendAudit, type AuditEntry } from '../audit/trail.js';
import type { Actor } from '../domain/case.js';
import { personOf } from './auth.js';
import { requestHash } from './request-hash.js';
import { requestIdOf } from './request-id.js';

export interface ApiChange {
  entryKey: string;
  action: string;
  /** What the change is to (a case number, an alert ID, a step, a date): hashed with the body. */
  target: string;
  body: unknown;
  caseNumber?: string;
  /** When the change took effect, if the database decided it; now otherwise. */
  at?: Date;
  details?: AuditEntry['details'];
}

export async function auditChange(client: pg.PoolClient, req: Request, actor: Actor, change: ApiChange): Promise<void> {
  await appendAudit(client, {
    entryKey: change.entryKey,
    caseNumber: change.caseNumber ?? null,
    action: change.action,
    agencyId: actor.agencyId,
    role: actor.role,
    userId: req.res ? personOf(req.res)?.userId : null,
    requestId: requestIdOf(req),
    requestHash: requestHash(change.action, change.target, change.body).current,
    at: (change.at ?? new Date()).toISOString(),
    details: change.details,
  });
}
