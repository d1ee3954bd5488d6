/**
 * The second half of `npm run build`, after `tsc -p tsconfig.build.json` has compiled the code
 * into dist/: what the compiled code reads besides itself. In dist/ `projectRoot` is dist/, so
 * the SQL migrations, the seed data and the console (built by Vite, scripts/console-build.ts) are copied next to the compiled code; and the workflows
 * are bundled once, here, into dist/workflow-bundle.js, which the worker loads when
 * WORKFLOW_BUNDLE_PATH names it (the image sets it) instead of running webpack at every start.
 */
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config.js';
import { bundleCaseWorkflows } from '../worker/create-worker.js';
import { buildConsole } from './console-build.js';

const dist = path.join(projectRoot, 'dist');

// TypeScript migrations are compiled by tsc; the SQL ones are copied as they are.
cpSync(path.join(projectRoot, 'db', 'migrations'), path.join(dist, 'db', 'migrations'), {
  recursive: true,
  filter: (source) => !source.endsWith('.ts'),
});
cpSync(path.join(projectRoot, 'db', 'seed'), path.join(dist, 'db', 'seed'), { recursive: true });
// Built afresh, whatever console/dist/ holds, straight into dist/: the image gets the console of these sources.
await buildConsole(path.join(dist, 'console', 'dist'));

const { code } = await bundleCaseWorkflows();
writeFileSync(path.join(dist, 'workflow-bundle.js'), code);
console.log(`dist/workflow-bundle.js: ${(code.length / 1e6).toFixed(1)} MB`);
