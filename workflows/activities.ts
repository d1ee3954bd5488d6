/** The workflow's handle on its activities. They retry until the database or registry answers. */
import { proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activities/index.js';

export const activities = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
