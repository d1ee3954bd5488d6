/**
 * The data converter of every Temporal client and worker of the service: the default payload
 * conversion, then encryption. Failures keep their messages in clear (the API maps them by type
 * and message; they never quote personal data); their details payloads are encrypted.
 */
import type { DataConverter } from '@temporalio/common';
import { config } from '../config.js';
import { loadPayloadKeyring, type PayloadKeyring } from './keys.js';
import { EncryptionCodec } from './payload-codec.js';

export function encryptingDataConverter(
  keyring: PayloadKeyring = loadPayloadKeyring(),
  refusePlaintext = config.production,
): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keyring, refusePlaintext)] };
}
