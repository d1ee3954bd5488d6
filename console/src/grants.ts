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
