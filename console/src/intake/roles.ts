/** Who may open a case: the grants of ACCESS_MATRIX 'case.intake' (api/access.ts), which the console cannot import; change both together. */
import type { Role } from '../api/client';

export const INTAKE_ROLES: readonly Role[] = ['satpol_pp', 'dinsos_kabkota', 'dinsos_prov'];
