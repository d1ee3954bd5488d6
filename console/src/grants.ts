/**
 * Who sees the screens the console shows by role: the access matrix's grants (ACCESS_MATRIX in
 * api/access.ts), generated into api/steps.ts, since the console cannot import the server's code.
 */
import type { Role } from './api/client';
import { SCREEN_GRANTS } from './api/steps';

const rolesOf = (grants: Partial<Record<Role, string>>) => Object.keys(grants) as Role[];

/** `case.intake`: who may open a case (the *Penjangkauan* screen and its queue). */
export const INTAKE_ROLES: readonly Role[] = rolesOf(SCREEN_GRANTS['case.intake']);

/** `stats.read`: who sees the dashboard. */
export const DASHBOARD_ROLES: readonly Role[] = rolesOf(SCREEN_GRANTS['stats.read']);

/** `case.audit`: who sees, on *Kasus*, the case's audit trail with the person behind each step. */
export const AUDIT_ROLES: readonly Role[] = rolesOf(SCREEN_GRANTS['case.audit']);

/** `alert.ack`: who acts on alerts (acknowledges, snoozes), those addressed to their agency; the auditor only reads. */
export const ALERT_ACTORS: readonly Role[] = rolesOf(SCREEN_GRANTS['alert.ack']);

/** `alert.list` granted `any`: who reads every alert in the province, not only those addressed to their agency. */
export const EVERY_ALERT_READERS: readonly Role[] = (Object.entries(SCREEN_GRANTS['alert.list']) as [Role, string][])
  .filter(([, rule]) => rule === 'any')
  .map(([role]) => role);
