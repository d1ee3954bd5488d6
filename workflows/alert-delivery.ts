/**
 * Delivery of one alert to the webhooks active when it was raised. A workflow of its own, started
 * by `raiseAlert`, so that a slow or dead webhook never holds up a case: each webhook is tried
 * on its own, with exponential backoff, and one that never answers 2xx is marked failed.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activities/index.js';
import { activities } from './activities.js';

/** Retries of one webhook, from the WEBHOOK_* settings (passed in: workflow code reads no env). */
export interface DeliveryRetry {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
}

export interface AlertDeliveryInput {
  alertId: string;
  retry: DeliveryRetry;
}

export async function alertDelivery({ alertId, retry }: AlertDeliveryInput): Promise<void> {
  const { deliverToWebhook } = proxyActivities<CaseActivities>({
    // The POST gives up after 10 s; the rest is two short queries.
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: retry.initialIntervalMs,
      maximumInterval: retry.maximumIntervalMs,
      backoffCoefficient: 2,
      maximumAttempts: retry.maximumAttempts,
    },
  });
  const webhookIds = await activities.pendingDeliveries({ alertId });
  await Promise.allSettled(
    webhookIds.map(async (webhookId) => {
      try {
        await deliverToWebhook({ alertId, webhookId });
      } catch {
        await activities.markDeliveryFailed({ alertId, webhookId });
      }
    }),
  );
}
