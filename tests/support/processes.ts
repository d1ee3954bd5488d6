/**
 * The service's entry points as real processes of this checkout: `node` itself with the given
 * arguments (not the tsx command, which would stand between a signal and the process), the output
 * of stdout and stderr kept together for assertions and failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../config.js';

export interface NodeProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
  /** Its exit code once it has ended (null when a signal ended it). */
  exited: Promise<number | null>;
}

export function startNode(args: string[], env: NodeJS.ProcessEnv): NodeProcess {
  const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}
