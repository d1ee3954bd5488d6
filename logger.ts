/**
 * The one logger. Personal data (names, NIK, addresses, descriptions) never goes in a log line:
 * log case numbers, stages and agency IDs only.
 */
import { pino } from 'pino';
import { config } from './config.js';

export const logger = pino(
  { level: config.logLevel, base: { service: 'ppks' } },
  config.logFile ? pino.destination({ dest: config.logFile, sync: true }) : undefined,
);
