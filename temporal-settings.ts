/**
 * Where and how to reach Temporal, read the way the Temporal CLI and SDKs read it
 * (@temporalio/envconfig): TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS and
 * TEMPORAL_TLS_*, TEMPORAL_GRPC_META_*, over a profile of a temporal.toml file (TEMPORAL_CONFIG_FILE,
 * else ~/.config/temporalio/temporal.toml; TEMPORAL_PROFILE, else `default`). One operator
 * configuration then serves the CLI, the API, the worker and the scripts alike.
 *
 * config.ts calls this once with the process environment; temporal-connection.ts turns the result
 * into connection options. The profile holds secrets (API key, key paths): never log it.
 */
import { existsSync } from 'node:fs';
import { loadClientConfigProfile, type ClientConfigProfile } from '@temporalio/envconfig';

export interface TemporalSettings {
  /** host:port; the local dev server's (127.0.0.1:TEMPORAL_PORT) when neither a variable nor a profile names one. */
  address: string;
  /** A variable or a profile named the server: `npm start` then uses it and starts none. */
  addressGiven: boolean;
  namespace: string;
  /** TLS, API key and gRPC metadata as envconfig read them (address and namespace are the fields above). */
  profile: ClientConfigProfile;
}

export function temporalSettings(env: NodeJS.ProcessEnv): TemporalSettings {
  const configFile = env.TEMPORAL_CONFIG_FILE;
  // envconfig skips a missing file silently; a path the operator typed should not be.
  if (configFile && !existsSync(configFile)) throw new Error(`TEMPORAL_CONFIG_FILE names ${configFile}, which does not exist`);
  const profile = loadClientConfigProfile({ overrideEnvVars: setVariables(env) });
  // envconfig drops a certificate without its key (or a key without its certificate) silently: the server would then refuse us.
  if (!profile.tls?.clientCert !== !profile.tls?.clientKey) {
    throw new Error(
      "A client certificate needs its key: set both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (or the profile's client_cert_path and client_key_path)",
    );
  }
  return {
    address: profile.address ?? `127.0.0.1:${env.TEMPORAL_PORT || 7233}`,
    addressGiven: profile.address !== undefined,
    namespace: profile.namespace ?? 'default',
    profile,
  };
}

/**
 * An empty variable counts as unset here, as everywhere in config.ts (`TEMPORAL_ADDRESS=` is how
 * a caller asks `npm start` for its own dev server); envconfig would take it as a value. Empty
 * TEMPORAL_GRPC_META_* stay: for envconfig they remove a header a profile sets.
 */
function setVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && (entry[1] !== '' || entry[0].startsWith('TEMPORAL_GRPC_META_')),
    ),
  );
}
