/**
 * The suite's payload encryption: one random key per test process, so clients and workers
 * encrypt as in production without reading the environment or writing a dev key into .data.
 */
import { randomBytes } from 'node:crypto';
import { encryptingDataConverter } from '../../encryption/data-converter.js';
import { parsePayloadKeys } from '../../encryption/keys.js';

/** The key as PPKS_PAYLOAD_KEYS spells it, for the processes a test starts. */
export const testPayloadKeys = `test:${randomBytes(32).toString('base64')}`;
export const testDataConverter = encryptingDataConverter(parsePayloadKeys(testPayloadKeys));
