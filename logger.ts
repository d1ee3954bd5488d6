/**
 * The one logger. Personal data (names, NIK, addresses, descriptions) never goes in a log line:
 * log case numbers, stages and agency IDs only.
 *
 * Every line written while an activity runs names its workflow ID (the case), run ID, activity
 * and attempt; every line written inside a traced request or activity has its trace and span ID.
 */
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { asyncLocalStorage } from '@temporalio/activity';
import { pino } from 'pino';
import { config } from './config.js';

export const logger = pino(
  { level: config.logLevel, base: { service: 'ppks' }, mixin: () => ({ ...activityAttributes(), ...traceAttributes() }) },
  config.logFile ? pino.destination({ dest: config.logFile, sync: true }) : undefined,
);

function activityAttributes(): Record<string, unknown> {
  const info = asyncLocalStorage.getStore()?.info;
  if (!info) return {};
  return {
    workflowId: info.workflowExecution?.workflowId,
    runId: info.workflowExecution?.runId,
    activityType: info.activityType,
    attempt: info.attempt,
  };
}

function traceAttributes(): Record<string, unknown> {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {};
}
