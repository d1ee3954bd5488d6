/**
 * Connecting to Temporal: the options every connection of the service is made with (the API's
 * Connection, the worker's NativeConnection, the scripts'), from the settings of temporal-settings.ts,
 * and patience at process start, when the server may still be coming up.
 */
import type { Metadata, TLSConfig } from '@temporalio/client';
import { toClientOptions } from '@temporalio/envconfig';
import { config } from './config.js';
import { logger } from './logger.js';
import type { TemporalSettings } from './temporal-settings.js';

/** What both Connection and NativeConnection take. Holds the API key and the client key: never log it. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Metadata;
}

/**
 * Reads the certificate and key files now (a missing one stops the start with its path). TLS is on
 * when any TLS setting or an API key is given (envconfig's rule), with the system's CAs unless
 * TEMPORAL_TLS_SERVER_CA_CERT_PATH names others.
 */
export function temporalConnectionOptions(settings: TemporalSettings = config.temporal): TemporalConnectionOptions {
  const { connectionOptions } = toClientOptions({ ...settings.profile, address: settings.address });
  const { tls, apiKey, metadata } = connectionOptions;
  return {
    address: settings.address,
    ...(tls !== undefined && tls !== null ? { tls: typeof tls === 'boolean' ? tls : asBuffers(tls) } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  };
}

/** envconfig reads the files into Uint8Arrays; the API's gRPC client (grpc-js) accepts only Buffers. */
function asBuffers({ serverNameOverride, serverRootCACertificate: ca, clientCertPair: pair }: TLSConfig): TLSConfig {
  return {
    ...(serverNameOverride ? { serverNameOverride } : {}),
    ...(ca ? { serverRootCACertificate: Buffer.from(ca) } : {}),
    ...(pair ? { clientCertPair: { crt: Buffer.from(pair.crt), key: Buffer.from(pair.key) } } : {}),
  };
}

export async function connectWithRetry<T>(connect: () => Promise<T>, attempts = 60): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      if (attempt >= attempts) throw error;
      // The reason too: a refused certificate or API key looks the same as a server still starting.
      if (attempt === 1) logger.info({ reason: error instanceof Error ? error.message : String(error) }, 'waiting for the Temporal server');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
