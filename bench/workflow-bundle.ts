/**
 * `npm run bench:bundle`: the workflow bundle's size, the packages in it, the time to build it, and
 * the time to replay every recorded history against it (what a worker pays on a cache miss).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Runtime, Worker } from '@temporalio/worker';
import { testDataConverter } from '../tests/support/encryption.js';
import { bundleCaseWorkflows } from '../worker/create-worker.js';

Runtime.install({ logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });

const bundleStarted = performance.now();
const bundle = await bundleCaseWorkflows();
const bundleMs = performance.now() - bundleStarted;
const packages = new Set([...bundle.code.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((match) => match[1]));

const directory = new URL('../tests/histories/', import.meta.url);
const files = readdirSync(directory).filter((file) => file.endsWith('.json'));
const histories = files.map((file) => ({ file, history: historyFromJSON(JSON.parse(readFileSync(new URL(file, directory), 'utf8'))) }));
const replayMs: number[] = [];
for (let round = 0; round < 3; round++) {
  const started = performance.now();
  for (const { file, history } of histories) {
    await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: testDataConverter }, history, file);
  }
  replayMs.push(performance.now() - started);
}

console.log(`bundle: ${(bundle.code.length / 1024).toFixed(0)} KiB, built in ${(bundleMs / 1000).toFixed(1)} s`);
console.log(`packages in it: ${[...packages].sort().join(', ')}`);
console.log(`replay of ${histories.length} histories, 3 rounds (ms): ${replayMs.map((ms) => ms.toFixed(0)).join(', ')}`);
