/**
 * What end-to-end tests do over and over through the API: register the agencies a test acts as,
 * open a case, post a step that must be taken, read a case's audit trail.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { CaseView } from '../../domain/case-view.js';
import type { AgencyClient, AgencyScope, RunningService } from './service.js';

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

/**
 * Opens a case as `satpol`: a gelandangan, a man, found in Surabaya (35.78) on 25 November 2026
 * at 10:00, unless `intake` says otherwise. Expects 201; returns the case view.
 */
export async function openCase(
  satpol: AgencyClient,
  intake: Record<string, unknown> = {},
  idempotencyKey = randomUUID(),
): Promise<CaseView> {
  const body = { ppksType: 'gelandangan', foundAt: '2026-11-25T10:00:00+07:00', foundRegion: '35.78', person: { sex: 'M' }, ...intake };
  const opened = await satpol.post('/v1/cases', body, { 'Idempotency-Key': idempotencyKey });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  return opened.body;
}

/** Posts a step that must be taken (200); returns the case view after it. */
export async function postStep(by: AgencyClient, caseNumber: string, path: string, body: unknown): Promise<CaseView> {
  const response = await by.post(`/v1/cases/${caseNumber}/${path}`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** The actions in a case's audit trail, in order, as `reader` gets them. */
export async function auditActions(reader: AgencyClient, caseNumber: string): Promise<string[]> {
  const trail = await reader.get(`/v1/cases/${caseNumber}/audit`);
  return trail.body.items.map((entry: { action: string }) => entry.action);
}
