// prestart/pretest: install dependencies when node_modules is missing or older than package-lock.json.
// Plain Node on purpose: it must run before any dependency exists.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mtime = (file) => {
  try {
    return statSync(path.join(root, file)).mtimeMs;
  } catch {
    return null;
  }
};

const lock = mtime('package-lock.json');
// npm rewrites this hidden lockfile on every install, so its age tells whether node_modules matches the lock.
const installed = mtime('node_modules/.package-lock.json');

if (lock !== null && (installed === null || installed < lock)) {
  console.log(installed === null ? 'node_modules missing: running npm ci' : 'package-lock.json changed: running npm ci');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(result.status ?? 1);
}
