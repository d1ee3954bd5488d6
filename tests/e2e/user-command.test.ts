/** `npm run user -- add|list|disable|enable|reset-password|reset-totp` as an operator runs it: real processes, real PostgreSQL. */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addAgency } from '../../api/agencies.js';
import { passwordMatches } from '../../api/passwords.js';
import { projectRoot } from '../../config.js';
import { createPool, type Pool } from '../../db/pool.js';

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
let pool: Pool;
let agencyId: string;

/** Runs the command with `stdin` on its standard input; resolves with its exit code and output. */
function user(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      tsx,
      [path.join(projectRoot, 'scripts', 'user.ts'), ...args],
      { cwd: projectRoot, env: { ...process.env, DATABASE_URL: inject('databaseUrl') } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}
const lastLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);
const newEmail = () => `petugas.${randomUUID()}@satpolpp.example.id`;

beforeAll(async () => {
  pool = createPool(inject('databaseUrl'), 2);
  ({ agencyId } = await addAgency(pool, { name: 'Satpol PP Kota Surabaya', role: 'satpol_pp', regionCode: '35.78' }));
});
afterAll(async () => {
  await pool.end();
});

const storedHash = async (userId: string) =>
  (await pool.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [userId])).rows[0]!.password_hash;

describe('npm run user -- add', () => {
  it('prints the person and a generated password on its last line, and stores only a hash', async () => {
    const email = newEmail();
    const result = await user(['add', '--agency', agencyId, '--name', 'Agus Salim', '--email', email]);
    expect(result.code).toBe(0);
    const added = lastLine(result.stdout);
    expect(added).toEqual({ userId: expect.stringMatching(/^user_/), email, password: expect.stringMatching(/^[\w-]{24}$/) });
    const hash = await storedHash(added.userId);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await passwordMatches(hash, added.password)).toBe(true);
    expect(result.stdout + result.stderr).not.toContain(hash);
  });

  it('takes the password from standard input with --password-stdin', async () => {
    const email = newEmail();
    const result = await user(
      ['add', '--agency', agencyId, '--name', 'Rina Wati', '--email', email, '--password-stdin'],
      'lampu merah di Darmo\n',
    );
    expect(result.code).toBe(0);
    const added = lastLine(result.stdout);
    expect(added).toEqual({ userId: expect.stringMatching(/^user_/), email, password: 'lampu merah di Darmo' });
    expect(await passwordMatches(await storedHash(added.userId), 'lampu merah di Darmo')).toBe(true);
  });

  it('fails (exit 1) for an unknown agency, an email taken in any case, or a weak password, never echoing the password', async () => {
    const email = newEmail();
    expect((await user(['add', '--agency', agencyId, '--name', 'Budi', '--email', email])).code).toBe(0);
    const cases: [string[], string, RegExp][] = [
      [['--agency', 'agency_nope', '--email', newEmail()], '', /unknown agency agency_nope/],
      [['--agency', agencyId, '--email', email.toUpperCase()], '', /exists already/],
      [['--agency', agencyId, '--email', newEmail(), '--password-stdin'], 'pendek\n', /at least 12 characters/],
      [['--agency', agencyId, '--email', newEmail(), '--password-stdin'], 'qwerty123456\n', /common passwords/],
    ];
    for (const [args, stdin, message] of cases) {
      const result = await user(['add', '--name', 'Budi', ...args], stdin);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(message);
      if (stdin) expect(result.stderr).not.toContain(stdin.trim());
      expect(result.stdout).toBe('');
    }
  });

  it('is bad usage (exit 2, with the usage) without a command, with an unknown one, a missing or a stray option', async () => {
    for (const args of [
      [],
      ['remove', 'x'],
      ['add', '--agency', agencyId, '--name', 'X'],
      ['add', '--agency', agencyId, '--name', 'X', '--email', newEmail(), '--role', 'supervisor'],
      ['list', '--password-stdin'],
      ['disable'],
      ['enable', 'a@b.example', 'c@d.example'],
    ]) {
      const result = await user(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('npm run user -- add --agency');
    }
  });
});

describe('npm run user -- list, disable, enable, reset-password', () => {
  it('lists the people of an agency without their hashes; disables (ending their sessions) and enables by email or ID', async () => {
    const { agencyId: own } = await addAgency(pool, { name: 'Dinsos Kabupaten Jember', role: 'dinsos_kabkota', regionCode: '35.09' });
    const email = newEmail();
    const added = lastLine((await user(['add', '--agency', own, '--name', 'Wulan Sari', '--email', email])).stdout);
    const listed = await user(['list', '--agency', own]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        userId: added.userId,
        email,
        name: 'Wulan Sari',
        agencyId: own,
        role: 'dinsos_kabkota',
        disabled: false,
        secondFactorEnrolled: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    ]);
    expect(listed.stdout).not.toMatch(/argon2|password/i);

    await pool.query(
      `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, 'csrf', now() + interval '1 hour')`,
      [randomUUID(), added.userId],
    );
    const disabled = await user(['disable', email.toUpperCase()]);
    expect(disabled.code).toBe(0);
    expect(lastLine(disabled.stdout)).toEqual({ userId: added.userId, disabled: true });
    expect((await pool.query('SELECT disabled FROM users WHERE id = $1', [added.userId])).rows[0].disabled).toBe(true);
    expect((await pool.query('SELECT 1 FROM sessions WHERE user_id = $1', [added.userId])).rows).toEqual([]);
    expect(lastLine((await user(['enable', added.userId])).stdout)).toEqual({ userId: added.userId, disabled: false });
    expect((await pool.query('SELECT disabled FROM users WHERE id = $1', [added.userId])).rows[0].disabled).toBe(false);
    expect((await user(['disable', 'nobody@nowhere.example'])).code).toBe(1);
  });

  it('reset-password prints the same JSON with a new password; the old one stops working', async () => {
    const email = newEmail();
    const added = lastLine((await user(['add', '--agency', agencyId, '--name', 'Eko Prasetyo', '--email', email])).stdout);
    const generated = await user(['reset-password', email]);
    expect(generated.code).toBe(0);
    const reset = lastLine(generated.stdout);
    expect(reset).toEqual({ userId: added.userId, email, password: expect.stringMatching(/^[\w-]{24}$/) });
    expect(reset.password).not.toBe(added.password);
    expect(await passwordMatches(await storedHash(added.userId), added.password)).toBe(false);
    expect(await passwordMatches(await storedHash(added.userId), reset.password)).toBe(true);

    const given = await user(['reset-password', added.userId, '--password-stdin'], 'jembatan Suramadu malam\n');
    expect(lastLine(given.stdout)).toEqual({ userId: added.userId, email, password: 'jembatan Suramadu malam' });
    expect((await user(['reset-password', added.userId, '--password-stdin'], 'password12345\n')).code).toBe(1);
    expect(await passwordMatches(await storedHash(added.userId), 'jembatan Suramadu malam')).toBe(true);
  });
});

describe('npm run user -- reset-totp', () => {
  it('removes the second factor of a person who lost their device: their recovery codes dead, their sessions ended; audited', async () => {
    const email = newEmail();
    const added = lastLine((await user(['add', '--agency', agencyId, '--name', 'Dewi Lestari', '--email', email])).stdout);
    // As after an enrolment (tests/e2e/totp.test.ts goes through it over HTTP).
    await pool.query(
      `UPDATE users SET totp_secret_ciphertext = '\\x00', totp_secret_key_id = 'k', totp_enrolled_at = now(), totp_last_step = 1 WHERE id = $1`,
      [added.userId],
    );
    await pool.query(`INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, 'a'), ($1, 'b')`, [added.userId]);
    await pool.query(
      `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, second_factor_at) VALUES ($1, $2, 'csrf', now() + interval '1 hour', now())`,
      [randomUUID(), added.userId],
    );

    const reset = await user(['reset-totp', email.toUpperCase()]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(lastLine(reset.stdout)).toEqual({ userId: added.userId, secondFactor: 'reset' });
    const { rows } = await pool.query(
      `SELECT totp_secret_ciphertext, totp_secret_key_id, totp_enrolled_at, totp_last_step FROM users WHERE id = $1`,
      [added.userId],
    );
    expect(rows).toEqual([{ totp_secret_ciphertext: null, totp_secret_key_id: null, totp_enrolled_at: null, totp_last_step: null }]);
    expect((await pool.query('SELECT 1 FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL', [added.userId])).rows).toEqual([]);
    expect((await pool.query('SELECT 1 FROM sessions WHERE user_id = $1', [added.userId])).rows).toEqual([]);
    const audit = await pool.query(`SELECT role, user_id FROM audit_log WHERE action = 'user.totp_reset' AND details->>'userId' = $1`, [
      added.userId,
    ]);
    expect(audit.rows).toEqual([{ role: 'operator', user_id: null }]);
  });

  it('exits 1 for an unknown person and 2 for bad usage', async () => {
    const unknown = await user(['reset-totp', 'nobody@example.id']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no person nobody@example.id');
    expect((await user(['reset-totp'])).code).toBe(2);
    expect((await user(['reset-totp', 'a@example.id', '--password-stdin'])).code).toBe(2);
  });
});
