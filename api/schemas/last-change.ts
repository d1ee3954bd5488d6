/** The fields of an entry supervisors keep (an SLA policy, a holiday, a role's working hours) that say how it was last changed. */
import { instant, z } from '../../domain/schemas.js';

export const LAST_CHANGE = { version: z.number().int(), updatedAt: instant, updatedBy: z.string().nullable() };
