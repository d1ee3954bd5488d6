/**
 * What end-to-end tests do over and over: register the agencies a test acts as, open a case, post
 * a step that must be taken, read a case's audit trail or the audit entries of a change.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { CaseView } from '../../domain/case-view.js';
import type { Pool } from '../../db/pool.js';
import { agencyForKey } from '../../api/auth.js';
import { type AgencyClient, agencyClient, type AgencyScope, type RunningService } from './service.js';

/** Who a test acts as: per name, a role, or a role with its scope (a kab/kota or a UPT). */
type Cast = Record<string, string | [role: string, scope: AgencyScope]>;

/** The agencies a case found in Surabaya meets on most paths: Satpol PP Surabaya, Dukcapil, Dinsos Jatim and a supervisor. */
export const CASE_AGENCIES = {
  satpol: ['satpol_pp', { regionCode: '35.78' }],
  dukcapil: 'dukcapil',
  prov: 'dinsos_prov',
  supervisor: 'supervisor',
} satisfies Cast;

/** Registers one agency per entry, in order, named `${label} ${role}`; returns each one's HTTP client under its name. */
export async function agenciesFor<C extends Cast>(service: RunningService, label: string, cast: C): Promise<Record<keyof C, AgencyClient>> {
  const clients = {} as Record<keyof C, AgencyClient>;
  for (const [name, entry] of Object.entries(cast)) {
    const [role, scope] = typeof entry === 'string' ? [entry, {}] : entry;
    clients[name as keyof C] = await service.clientFor(`${label} ${role}`, role, scope);
  }
  return clients;
}

/** Registers a supervisor; returns its HTTP client and its agency ID (as the audit trail records who changed what). */
export async function supervisorFor(service: RunningService, name: string): Promise<{ client: AgencyClient; agencyId: string }> {
  const key = await service.keyFor({ name, role: 'supervisor' });
  return { client: agencyClient(service.baseUrl, key), agencyId: (await agencyForKey(service.pool, key))!.agencyId };
}

/**
 * Opens a case as `satpol`: a gelandangan, a man, found in Surabaya (35.78) on 25 November 2026
 * at 10:00, unless `intake` says otherwise. Expects it opened (201, or after a "try again" 200 or 201); returns the case view.
 */
export async function openCase(
  satpol: AgencyClient,
  intake: Record<string, unknown> = {},
  idempotencyKey: string = randomUUID(),
): Promise<CaseView> {
  const body = { ppksType: 'gelandangan', foundAt: '2026-11-25T10:00:00+07:00', foundRegion: '35.78', person: { sex: 'M' }, ...intake };
  const { first, last } = await sentUntilAnswered(() => satpol.post('/v1/cases', body, { 'Idempotency-Key': idempotencyKey }));
  // Opened by the first try (201), or after a "try again": by the retry (201) or by the try before it (200, found by the key).
  if (first.status === 201) return first.body;
  expect([429, 503], JSON.stringify(first.body)).toContain(first.status);
  expect([200, 201], JSON.stringify(last.body)).toContain(last.status);
  return last.body;
}

/** Posts a step that must be taken (200); returns the case view after it. */
export async function postStep(by: AgencyClient, caseNumber: string, path: string, body: unknown): Promise<CaseView> {
  const key = randomUUID();
  const { last } = await sentUntilAnswered(() => by.post(`/v1/cases/${caseNumber}/${path}`, body, { 'Idempotency-Key': key }));
  expect(last.status, JSON.stringify(last.body)).toBe(200);
  return last.body;
}

/**
 * Sends a request again with its Idempotency-Key, as the API asks of every client, while the answer
 * is "taken, still working" (202) or "try again" (429, 503, after Retry-After): a loaded test machine
 * may make any single answer slow, and setting a case up is not what such a test is about. Those
 * answers themselves are tested where they are the point (limits, hostile input, chaos).
 */
async function sentUntilAnswered(send: () => ReturnType<AgencyClient['post']>) {
  const first = await send();
  let last = first;
  for (let attempt = 1; attempt < 6 && [202, 429, 503].includes(last.status); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1000 * Number(last.headers.get('retry-after') ?? 1)));
    last = await send();
  }
  return { first, last };
}

/** The actions in a case's audit trail, in order, as `reader` gets them. */
export async function auditActions(reader: AgencyClient, caseNumber: string): Promise<string[]> {
  const trail = await reader.get(`/v1/cases/${caseNumber}/audit`);
  return trail.body.items.map((entry: { action: string }) => entry.action);
}

/** The audit entries whose key starts with `entryKeyPrefix` (a change's, such as `holiday/2030-06-05/`), in order, from the database. */
export async function auditEntries(pool: Pool, entryKeyPrefix: string) {
  const { rows } = await pool.query<{ action: string; agency_id: string; details: Record<string, unknown> }>(
    'SELECT action, agency_id, details FROM audit_log WHERE entry_key LIKE $1 ORDER BY seq',
    [`${entryKeyPrefix}%`],
  );
  return rows;
}
