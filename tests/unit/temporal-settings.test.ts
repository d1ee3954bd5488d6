/**
 * The Temporal connection settings as an operator writes them (TEMPORAL_* variables, temporal.toml
 * profiles) and the options the API's and the worker's connections are then made with.
 * tests/e2e/mtls.test.ts makes real connections with them.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { temporalConnectionOptions } from '../../temporal-connection.js';
import { temporalSettings } from '../../temporal-settings.js';

let dir: string;
const file = (name: string, content: string) => {
  const target = path.join(dir, name);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
  return target;
};
const optionsFor = (env: NodeJS.ProcessEnv) => temporalConnectionOptions(temporalSettings(env));

// Each case passes its whole environment: without HOME or XDG_CONFIG_HOME no user's temporal.toml is read.
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ppks-temporal-settings-'));
});

describe('without settings', () => {
  it('is the local dev server, namespace default, in plain text; TEMPORAL_PORT moves it', () => {
    expect(temporalSettings({})).toEqual({ address: '127.0.0.1:7233', addressGiven: false, namespace: 'default', profile: {} });
    expect(optionsFor({})).toEqual({ address: '127.0.0.1:7233' });
    expect(temporalSettings({ TEMPORAL_PORT: '7300' })).toMatchObject({ address: '127.0.0.1:7300', addressGiven: false });
  });

  it('takes an empty variable as unset (how a caller asks `npm start` for its own dev server)', () => {
    expect(temporalSettings({ TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: '', TEMPORAL_API_KEY: '' })).toMatchObject({
      address: '127.0.0.1:7233',
      addressGiven: false,
      namespace: 'default',
    });
    expect(optionsFor({ TEMPORAL_ADDRESS: '', TEMPORAL_API_KEY: '' })).toEqual({ address: '127.0.0.1:7233' });
  });
});

describe('TEMPORAL_* variables', () => {
  it('send TEMPORAL_API_KEY as the API key, over TLS with the system CAs', () => {
    const env = { TEMPORAL_ADDRESS: 'ppks.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ppks.a1b2c', TEMPORAL_API_KEY: 'key-1' };
    expect(temporalSettings(env)).toMatchObject({ address: 'ppks.a1b2c.tmprl.cloud:7233', addressGiven: true, namespace: 'ppks.a1b2c' });
    expect(optionsFor(env)).toEqual({ address: 'ppks.a1b2c.tmprl.cloud:7233', apiKey: 'key-1', tls: true });
  });

  it('read the CA, the client certificate and its key from TEMPORAL_TLS_*_PATH, as Buffers both connection kinds take', () => {
    const options = optionsFor({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('ca.pem', 'the CA'),
      TEMPORAL_TLS_CLIENT_CERT_PATH: file('client.pem', 'the certificate'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: file('client.key', 'the key'),
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.internal',
    });
    expect(options).toEqual({
      address: 'temporal.internal:7233',
      tls: {
        serverNameOverride: 'frontend.temporal.internal',
        serverRootCACertificate: Buffer.from('the CA'),
        clientCertPair: { crt: Buffer.from('the certificate'), key: Buffer.from('the key') },
      },
    });
    const tls = options.tls as { serverRootCACertificate: unknown; clientCertPair: { crt: unknown; key: unknown } };
    expect([tls.serverRootCACertificate, tls.clientCertPair.crt, tls.clientCertPair.key].every((bytes) => Buffer.isBuffer(bytes))).toBe(
      true,
    );
  });

  it('stop the start naming a certificate file that is missing', () => {
    const missing = path.join(dir, 'nowhere.pem');
    expect(() => optionsFor({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS_SERVER_CA_CERT_PATH: missing })).toThrow(missing);
  });

  it('stop the start on a client certificate without its key, or a key without its certificate', () => {
    const certificate = { TEMPORAL_TLS_CLIENT_CERT_PATH: file('client.pem', 'the certificate') };
    const key = { TEMPORAL_TLS_CLIENT_KEY_PATH: file('client.key', 'the key') };
    for (const env of [certificate, key]) expect(() => temporalSettings(env)).toThrow('A client certificate needs its key');
    expect(temporalSettings({ ...certificate, ...key }).profile.tls).toBeDefined();
  });

  it('TEMPORAL_TLS=true turns TLS on with the system CAs, TEMPORAL_TLS=false off', () => {
    expect(optionsFor({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS: 'true' }).tls).toEqual({});
    expect(optionsFor({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'key-1' })).toEqual({
      address: 'temporal.internal:7233',
      apiKey: 'key-1',
      tls: false,
    });
  });

  it('add TEMPORAL_GRPC_META_* as gRPC headers', () => {
    expect(optionsFor({ TEMPORAL_ADDRESS: 'a:7233', TEMPORAL_GRPC_META_TEMPORAL_NAMESPACE: 'ppks.a1b2c' }).metadata).toEqual({
      'temporal-namespace': 'ppks.a1b2c',
    });
  });
});

describe('temporal.toml profiles', () => {
  const toml = () =>
    file(
      'temporal.toml',
      [
        '[profile.default]',
        'address = "127.0.0.1:7233"',
        '',
        '[profile.production]',
        'address = "ppks.a1b2c.tmprl.cloud:7233"',
        'namespace = "ppks.a1b2c"',
        '[profile.production.tls]',
        `client_cert_path = "${file('prod.pem', 'prod certificate')}"`,
        `client_key_path = "${file('prod.key', 'prod key')}"`,
        '[profile.production.grpc_meta]',
        'x-team = "dinsos"',
      ].join('\n'),
    );

  it('use the profile TEMPORAL_PROFILE names in TEMPORAL_CONFIG_FILE: a server named there counts as given', () => {
    const env = { TEMPORAL_CONFIG_FILE: toml(), TEMPORAL_PROFILE: 'production' };
    expect(temporalSettings(env)).toMatchObject({ address: 'ppks.a1b2c.tmprl.cloud:7233', addressGiven: true, namespace: 'ppks.a1b2c' });
    expect(optionsFor(env)).toEqual({
      address: 'ppks.a1b2c.tmprl.cloud:7233',
      tls: { clientCertPair: { crt: Buffer.from('prod certificate'), key: Buffer.from('prod key') } },
      metadata: { 'x-team': 'dinsos' },
    });
  });

  it('yield to the variables', () => {
    const env = { TEMPORAL_CONFIG_FILE: toml(), TEMPORAL_PROFILE: 'production', TEMPORAL_NAMESPACE: 'ppks-staging.a1b2c' };
    expect(temporalSettings(env).namespace).toBe('ppks-staging.a1b2c');
    expect(temporalSettings({ ...env, TEMPORAL_ADDRESS: '10.0.0.5:7233' }).address).toBe('10.0.0.5:7233');
  });

  it('default to the profile `default` of the file, and to the user’s own temporal.toml as the Temporal CLI does', () => {
    expect(temporalSettings({ TEMPORAL_CONFIG_FILE: toml() })).toMatchObject({ address: '127.0.0.1:7233', addressGiven: true });
    expect(temporalSettings({ XDG_CONFIG_HOME: dir })).toMatchObject({ address: '127.0.0.1:7233', addressGiven: false });
    file(path.join('temporalio', 'temporal.toml'), '[profile.default]\naddress = "temporal.internal:7233"\n');
    expect(temporalSettings({ XDG_CONFIG_HOME: dir })).toMatchObject({ address: 'temporal.internal:7233', addressGiven: true });
  });

  it('stop the start when the profile or the file named is not there', () => {
    expect(() => temporalSettings({ TEMPORAL_CONFIG_FILE: toml(), TEMPORAL_PROFILE: 'staging' })).toThrow(/staging/);
    const missing = path.join(dir, 'missing.toml');
    expect(() => temporalSettings({ TEMPORAL_CONFIG_FILE: missing })).toThrow(
      `TEMPORAL_CONFIG_FILE names ${missing}, which does not exist`,
    );
  });
});
