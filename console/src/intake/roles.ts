/** Who may open a case (ACCESS_MATRIX 'case.intake' in api/access.ts; tests/e2e/console-intake.test.ts keeps the two in step). */
import type { Role } from '../api/client';

export const INTAKE_ROLES: readonly Role[] = ['satpol_pp', 'dinsos_kabkota', 'dinsos_prov'];
