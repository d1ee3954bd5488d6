/** Every activity of the worker's workflows (the case, alert delivery), grouped by the system it touches. */
import type { Client } from '@temporalio/client';
import type { Pool } from '../db/pool.js';
import type { DeliveryRetry } from '../workflows/alert-delivery.js';
import { auditExportActivities } from './audit-export.js';
import { alertDeliveryActivities } from './database/alert-deliveries.js';
import { alertActivities } from './database/alerts.js';
import { auditTrailActivities } from './database/audit-trail.js';
import { bedActivities } from './database/beds.js';
import { caseIndexActivities } from './database/case-index.js';
import { slaPolicyActivities } from './database/sla-policies.js';
import { slaShiftActivities } from './database/sla-shifts.js';
import { civilRegistryActivities } from './civil-registry/index.js';
import { PostgresCivilRegistry, type CivilRegistry } from './civil-registry/registry.js';
import { alertDeliveryStarter, configuredDeliveryRetry } from './temporal/alert-delivery.js';
import { webhookDeliveryActivities } from './webhooks/delivery.js';

export interface ActivityDependencies {
  /** The worker's own client (same namespace, same encrypting data converter): starts alert deliveries. */
  temporal: Client;
  /** The worker's task queue, where alert deliveries run. */
  taskQueue: string;
  registry?: CivilRegistry;
  /** Retries of a webhook delivery (default: the WEBHOOK_* settings). */
  webhookRetry?: DeliveryRetry;
}

export function createActivities(
  pool: Pool,
  { temporal, taskQueue, registry = new PostgresCivilRegistry(pool), webhookRetry = configuredDeliveryRetry() }: ActivityDependencies,
) {
  return {
    ...caseIndexActivities(pool),
    ...alertActivities(pool, alertDeliveryStarter(temporal, taskQueue, webhookRetry)),
    ...alertDeliveryActivities(pool),
    ...webhookDeliveryActivities(pool),
    ...auditTrailActivities(pool),
    ...bedActivities(pool),
    ...slaPolicyActivities(pool),
    ...slaShiftActivities(pool),
    ...civilRegistryActivities(registry),
    ...auditExportActivities(pool),
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
