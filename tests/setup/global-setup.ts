/**
 * Everything the suite needs, provisioned the way `npm start` does: the pinned Temporal
 * binaries, a dev server (in memory, headless, on a free port) and a fresh test database.
 */
import type { TestProject } from 'vitest/node';
import { prepareDatabase } from '../../db/prepare.js';
import { startDevServer, type DevServer } from '../../scripts/dev-server.js';
import { temporalTestServerPath } from '../../scripts/temporal-bin.js';
import { dropDatabase } from '../../db/admin.js';
import { freePort } from '../../scripts/free-port.js';
import { ownNamespaces } from '../support/own-namespaces.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    testServerPath: string;
  }
}

let server: DevServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ppks_test';
  await dropDatabase(databaseUrl);
  await prepareDatabase(databaseUrl);
  const testServerPath = await temporalTestServerPath();
  server = await startDevServer({ port: await freePort(), headless: true, namespaces: Object.values(ownNamespaces) });
  project.provide('temporalAddress', server.address);
  project.provide('databaseUrl', databaseUrl);
  project.provide('testServerPath', testServerPath);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
