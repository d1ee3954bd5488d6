/**
 * The suite's payload encryption: one random key per test process, so clients and workers
 * encrypt as in production without reading the environment or writing a dev key into .data.
 */
import { randomBytes } from 'node:crypto';
import { encryptingDataConverter } from '../../encryption/data-converter.js';
import { parsePayloadKeys } from '../../encryption/keys.js';

export const testDataConverter = encryptingDataConverter(parsePayloadKeys(`test:${randomBytes(32).toString('base64')}`));
