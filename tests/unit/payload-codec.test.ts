/**
 * The payload codec and its keys: ciphertext only, key rotation (old payloads still decode),
 * clear errors that quote no payload content or key, and the local dev key made once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { devPayloadKeys, parsePayloadKeys } from '../../encryption/keys.js';
import { EncryptionCodec } from '../../encryption/payload-codec.js';

const person = { name: 'Siti Wulandari', nik: '3578015208900123' };
const base64Key = () => randomBytes(32).toString('base64');
const keyA = base64Key();
const keyB = base64Key();
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const plain = (): Payload => defaultPayloadConverter.toPayload(person);

describe('EncryptionCodec', () => {
  const codecA = new EncryptionCodec(parsePayloadKeys(`a:${keyA}`));

  it('stores only ciphertext, with the key ID in the metadata and a fresh IV each time', async () => {
    const [first, second] = await codecA.encode([plain(), plain()]);
    for (const encoded of [first!, second!]) {
      expect(text(encoded.metadata?.encoding)).toBe('binary/encrypted');
      expect(text(encoded.metadata?.['encryption-key-id'])).toBe('a');
      expect(Object.keys(encoded.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-key-id']);
      for (const secret of [person.name, person.nik, 'json/plain']) expect(text(encoded.data)).not.toContain(secret);
    }
    expect(Buffer.from(first!.data!).equals(Buffer.from(second!.data!))).toBe(false);
    const [decoded] = await codecA.decode([first!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(person);
    expect(text(decoded!.metadata?.encoding)).toBe('json/plain');
  });

  it('passes payloads written before encryption through unchanged, except in production', async () => {
    const original = plain();
    expect(await codecA.decode([original])).toEqual([original]);
    // Someone who reaches the Temporal frontend without the keys cannot hand a case an Update.
    const production = new EncryptionCodec(parsePayloadKeys(`a:${keyA}`), true);
    await expect(production.decode([original])).rejects.toThrow('Plaintext payload refused');
    const [encrypted] = await production.encode([plain()]);
    expect(defaultPayloadConverter.fromPayload((await production.decode([encrypted!]))[0]!)).toEqual(person);
  });

  it("binds a payload to its workflow: moved to another case's history, it fails authentication", async () => {
    const context = { type: 'workflow', namespace: 'default', workflowId: 'case-3578-2026-000001' } as const;
    const [bound] = await codecA.encode([plain()], context);
    expect(text(bound!.metadata?.['encryption-workflow-id'])).toBe('case-3578-2026-000001');
    expect(defaultPayloadConverter.fromPayload((await codecA.decode([bound!]))[0]!)).toEqual(person);
    const moved = { ...bound!, metadata: { ...bound!.metadata, 'encryption-workflow-id': Buffer.from('case-3509-2026-000002') } };
    await expect(codecA.decode([moved])).rejects.toThrow(/failed authentication/);
  });

  it('still decodes payloads of the old key after a rotation, and encodes new ones under the new key', async () => {
    const [underA] = await codecA.encode([plain()]);
    const rotated = new EncryptionCodec(parsePayloadKeys(`b:${keyB},a:${keyA}`));
    const [decoded] = await rotated.decode([underA!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(person);
    const [underB] = await rotated.encode([plain()]);
    expect(text(underB!.metadata?.['encryption-key-id'])).toBe('b');
    await expect(codecA.decode([underB!])).rejects.toThrow(/key ID b, which PPKS_PAYLOAD_KEYS does not list/);
  });

  it('refuses a payload under an unknown or different key, or altered, without quoting it', async () => {
    const [underA] = await codecA.encode([plain()]);
    const failures = await Promise.all([
      new EncryptionCodec(parsePayloadKeys(`b:${keyB}`)).decode([underA!]).catch((e: Error) => e),
      new EncryptionCodec(parsePayloadKeys(`a:${keyB}`)).decode([underA!]).catch((e: Error) => e),
      codecA
        .decode([{ ...underA!, data: Buffer.from(underA!.data!).map((byte, i) => (i === 20 ? byte ^ 1 : byte)) }])
        .catch((e: Error) => e),
    ]);
    expect(failures.map((e) => (e as Error).message)).toEqual([
      expect.stringMatching(/key ID a, which PPKS_PAYLOAD_KEYS does not list/),
      expect.stringMatching(/key ID a failed authentication/),
      expect.stringMatching(/key ID a failed authentication/),
    ]);
    for (const failure of failures) {
      for (const secret of [person.name, person.nik, keyA, keyB]) expect((failure as Error).message).not.toContain(secret);
    }
  });
});

describe('PPKS_PAYLOAD_KEYS', () => {
  it('takes the first key as current unless PPKS_PAYLOAD_KEY_ID names another', () => {
    expect(parsePayloadKeys(` new:${keyB} , old:${keyA}`).currentKeyId).toBe('new');
    const keyring = parsePayloadKeys(`new:${keyB},old:${keyA}`, 'old');
    expect(keyring.currentKeyId).toBe('old');
    expect(keyring.keys.get('new')!.equals(Buffer.from(keyB, 'base64'))).toBe(true);
  });

  it.each([
    ['', /lists no key/],
    [`${keyA}`, /entry 1 must be keyId:base64-key/],
    [`bad id:${keyA}`, /entry 1 must be keyId:base64-key/],
    [`${'x'.repeat(65)}:${keyA}`, /entry 1 must be keyId:base64-key/],
    [`a:${keyA},b:${randomBytes(16).toString('base64')}`, /entry 2 \(key ID b\): the key must be 32 bytes/],
    [`a:${keyA.slice(0, -2)}!=`, /entry 1 \(key ID a\): the key must be 32 bytes/],
    [`a:${keyA},a:${keyB}`, /entry 2: key ID a is listed twice/],
  ])('refuses %j', (list, message) => {
    expect(() => parsePayloadKeys(list)).toThrow(message);
  });

  it('refuses a current key ID that is not listed, without echoing it', () => {
    expect(() => parsePayloadKeys(`a:${keyA}`, keyB)).toThrow('PPKS_PAYLOAD_KEY_ID names no key of PPKS_PAYLOAD_KEYS');
  });
});

describe('the key without configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  /** keys.ts as it loads in a process started with this environment (config.ts reads it once). */
  async function loadWith(env: Record<string, string>) {
    vi.stubEnv('PPKS_PAYLOAD_KEYS', undefined);
    vi.stubEnv('PPKS_PAYLOAD_KEY_ID', undefined);
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    vi.resetModules();
    const { loadPayloadKeyring } = await import('../../encryption/keys.js');
    return loadPayloadKeyring;
  }

  it('is generated once into the data directory (mode 600) and reused locally', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ppks-keys-'));
    const load = await loadWith({ NODE_ENV: 'test', PPKS_DATA_DIR: dataDir });
    const first = load();
    expect(first.currentKeyId).toMatch(/^dev-[0-9a-f]{8}$/);
    expect(statSync(path.join(dataDir, 'payload-keys.json')).mode & 0o777).toBe(0o600);
    const again = load();
    expect(again.keys.get(first.currentKeyId)!.equals(first.keys.get(first.currentKeyId)!)).toBe(true);
    expect(devPayloadKeys(dataDir)).toBe(devPayloadKeys(dataDir));
  });

  it('is a startup error in production', async () => {
    const load = await loadWith({ NODE_ENV: 'production', PPKS_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ppks-keys-')) });
    expect(() => load()).toThrow(/PPKS_PAYLOAD_KEYS is not set/);
  });
});
