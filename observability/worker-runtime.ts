/**
 * The worker process's Temporal runtime, installed before any connection is made: the SDK's
 * metrics on a Prometheus endpoint of its own (WORKER_METRICS_PORT; the activities' counters in
 * ./worker-metrics.ts go there too), and every SDK log line (the worker's, the activities'
 * context loggers', Core's) through the service's pino logger as JSON.
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';
import { config } from '../config.js';
import { logger } from '../logger.js';
import { metricsUrl } from './metrics-server.js';

/** Returns the URL the worker's metrics are scraped from. */
export function installWorkerRuntime(): string {
  const level = sdkLevel(logger.level);
  const host = config.workerMetricsHost;
  Runtime.install({
    logger: new DefaultLogger(level, toPino),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: level, other: 'ERROR' }), forward: {} },
      metrics: {
        prometheus: {
          bindAddress: `${host.includes(':') ? `[${host}]` : host}:${config.workerMetricsPort}`,
          // Prometheus' conventions, as the API's metrics follow: counters end in _total, durations in seconds.
          countersTotalSuffix: true,
          unitSuffix: true,
          useSecondsForDurations: true,
        },
      },
    },
  });
  return metricsUrl(host, config.workerMetricsPort);
}

const sdkLogger = logger.child({ component: 'temporal' });
const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

function toPino({ level, message, meta }: LogEntry): void {
  // pino serializes an Error only under `err`.
  const { error, ...rest } = meta ?? {};
  sdkLogger[PINO_LEVEL[level]](error === undefined ? rest : { ...rest, err: error }, message);
}

/** The SDK's level for LOG_LEVEL (pino's names); pino filters again, so nothing below LOG_LEVEL is written. */
function sdkLevel(pinoLevel: string): LogLevel {
  const levels: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' };
  return levels[pinoLevel] ?? 'ERROR';
}
