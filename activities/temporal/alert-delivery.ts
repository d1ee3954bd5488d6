/**
 * Starts the delivery of an alert to the webhooks: a workflow of its own on the worker's task
 * queue (workflows/alert-delivery.ts), so the case that raised the alert never waits on a webhook.
 */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Duration } from 'luxon';
import { config } from '../../config.js';
import type { alertDelivery, DeliveryRetry } from '../../workflows/alert-delivery.js';

export type StartAlertDelivery = (alertId: string) => Promise<void>;

export const alertDeliveryWorkflowId = (alertId: string) => `alert-delivery-${alertId}`;

/** The WEBHOOK_* settings, read here (the workflow gets them as input); a bad one stops the worker's start. */
export function configuredDeliveryRetry(): DeliveryRetry {
  const interval = (name: string, iso: string) => {
    const ms = Duration.fromISO(iso).toMillis();
    if (!(ms > 0)) throw new Error(`${name} must be a positive ISO 8601 duration, got ${JSON.stringify(iso)}`);
    return ms;
  };
  if (!Number.isInteger(config.webhookMaxAttempts) || config.webhookMaxAttempts < 1)
    throw new Error('WEBHOOK_MAX_ATTEMPTS must be a whole number from 1');
  return {
    initialIntervalMs: interval('WEBHOOK_RETRY_INITIAL_INTERVAL', config.webhookRetryInitialInterval),
    maximumIntervalMs: interval('WEBHOOK_RETRY_MAX_INTERVAL', config.webhookRetryMaxInterval),
    maximumAttempts: config.webhookMaxAttempts,
  };
}

/** `temporal` must use the service's encrypting data converter, like every client. */
export function alertDeliveryStarter(temporal: Client, taskQueue: string, retry: DeliveryRetry): StartAlertDelivery {
  return async (alertId) => {
    try {
      await temporal.workflow.start<typeof alertDelivery>('alertDelivery', {
        taskQueue,
        workflowId: alertDeliveryWorkflowId(alertId),
        args: [{ alertId, retry }],
      });
    } catch (error) {
      // A retried raiseAlert, or the same alert raised again, finds its delivery already running.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  };
}
