/** Secret settings from files (`NAME_FILE`, Docker and Compose secrets) and passwords filled into database URLs (config.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { secretSetting, withPassword } from '../../config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ppks-secret-setting-'));
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};

describe('secretSetting', () => {
  it('reads the variable, or the file its _FILE names, trimmed', () => {
    expect(secretSetting('PPKS_MATCH_KEY', { PPKS_MATCH_KEY: 'direct' })).toBe('direct');
    expect(secretSetting('PPKS_MATCH_KEY', { PPKS_MATCH_KEY_FILE: file('key', '  from-file\n') })).toBe('from-file');
    expect(secretSetting('PPKS_MATCH_KEY', {})).toBeUndefined();
    expect(secretSetting('PPKS_MATCH_KEY', { PPKS_MATCH_KEY: '', PPKS_MATCH_KEY_FILE: '' })).toBeUndefined();
  });

  it('refuses both at once, an empty file and a missing one, naming the variable but not the value', () => {
    const key = file('both', 'secret-value');
    expect(() => secretSetting('PPKS_MATCH_KEY', { PPKS_MATCH_KEY: 'secret-value', PPKS_MATCH_KEY_FILE: key })).toThrow(
      'PPKS_MATCH_KEY and PPKS_MATCH_KEY_FILE are both set',
    );
    expect(() => secretSetting('PPKS_HASH_KEYS', { PPKS_HASH_KEYS_FILE: file('empty', '\n') })).toThrow(
      /^PPKS_HASH_KEYS_FILE: .* is empty$/,
    );
    expect(() => secretSetting('PPKS_HASH_KEYS', { PPKS_HASH_KEYS_FILE: path.join(dir, 'missing') })).toThrow(
      /^PPKS_HASH_KEYS_FILE: cannot read .*missing \(ENOENT\)$/,
    );
  });
});

describe('withPassword', () => {
  const url = 'postgres://ppks_app@postgresql:5432/ppks';

  it('fills the password in, encoded so that any character survives', () => {
    const password = 'p@ss:w/rd%?#&= x';
    const filled = withPassword(url, 'DATABASE_URL', 'DATABASE_PASSWORD', { DATABASE_PASSWORD_FILE: file('pw', `${password}\n`) });
    // What the pg driver will use.
    const client = new pg.Client({ connectionString: filled });
    expect([client.user, client.password, client.host, client.port, client.database]).toEqual([
      'ppks_app',
      password,
      'postgresql',
      5432,
      'ppks',
    ]);
  });

  it('leaves the URL alone without a password, and refuses two passwords or a password without a URL', () => {
    expect(withPassword(url, 'DATABASE_URL', 'DATABASE_PASSWORD', {})).toBe(url);
    expect(withPassword(undefined, 'DATABASE_OWNER_URL', 'DATABASE_OWNER_PASSWORD', {})).toBeUndefined();
    expect(() => withPassword('postgres://u:old@db/ppks', 'DATABASE_URL', 'DATABASE_PASSWORD', { DATABASE_PASSWORD: 'new' })).toThrow(
      'DATABASE_URL carries a password and DATABASE_PASSWORD is set',
    );
    expect(() => withPassword(undefined, 'DATABASE_OWNER_URL', 'DATABASE_OWNER_PASSWORD', { DATABASE_OWNER_PASSWORD: 'pw' })).toThrow(
      'DATABASE_OWNER_PASSWORD is set but DATABASE_OWNER_URL is not',
    );
  });
});
