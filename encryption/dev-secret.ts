/**
 * Local secrets generated on first use (never in production): written once with mode 600, even
 * when the worker and the API start together — each links a draft into place and the loser
 * reads the winner's.
 */
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { config } from '../config.js';

/** The file's contents, creating it from `generate()` when it does not exist yet. */
export function devSecret(dataDir: string, name: string, generate: () => string): string {
  const file = path.join(dataDir, name);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const draft = `${file}.${process.pid}.draft`;
  writeFileSync(draft, generate(), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return readFileSync(file, 'utf8');
}

/**
 * A secret setting: its configured value; in production, without one, a refusal to start that
 * says why (`<variable> is not set: <why>`); locally, one generated once into `<dataDir>/<devFile>`.
 */
export function configuredSecret(setting: {
  value: string | undefined;
  variable: string;
  why: string;
  devFile: string;
  generate: () => string;
}): string {
  if (setting.value) return setting.value;
  if (config.production) throw new Error(`${setting.variable} is not set: ${setting.why}`);
  return devSecret(config.dataDir, setting.devFile, setting.generate);
}
