/** Every activity of the case workflow, grouped by the system it touches. */
import type { Pool } from '../db/pool.js';
import { alertActivities } from './database/alerts.js';
import { auditTrailActivities } from './database/audit-trail.js';
import { bedActivities } from './database/beds.js';
import { caseIndexActivities } from './database/case-index.js';
import { slaPolicyActivities } from './database/sla-policies.js';
import { civilRegistryActivities } from './civil-registry/index.js';
import { PostgresCivilRegistry, type CivilRegistry } from './civil-registry/registry.js';

export function createActivities(pool: Pool, registry: CivilRegistry = new PostgresCivilRegistry(pool)) {
  return {
    ...caseIndexActivities(pool),
    ...alertActivities(pool),
    ...auditTrailActivities(pool),
    ...bedActivities(pool),
    ...slaPolicyActivities(pool),
    ...civilRegistryActivities(registry),
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
