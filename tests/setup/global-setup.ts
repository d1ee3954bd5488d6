/**
 * Everything the suite needs, provisioned the way `npm start` does: the staff console built, the pinned Temporal
 * binaries, a dev server (in memory, on a free port, its Web UI on another, for the API's
 * Temporal UI gateway) and a fresh test database.
 */
import type { TestProject } from 'vitest/node';
import { prepareDatabase } from '../../db/prepare.js';
import { startDevServer, type DevServer } from '../../scripts/dev-server.js';
import { temporalTestServerPath } from '../../scripts/temporal-bin.js';
import { dropDatabase } from '../../db/admin.js';
import { freePort } from '../../scripts/free-port.js';
import { ensureConsoleBuilt } from '../../scripts/console-build.js';
import { ownNamespaces } from '../support/own-namespaces.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The dev server's Web UI, for the API's Temporal UI gateway (api/temporal-ui.ts). */
    temporalUiUrl: string;
    databaseUrl: string;
    testServerPath: string;
  }
}

let server: DevServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ppks_test';
  await dropDatabase(databaseUrl);
  await prepareDatabase(databaseUrl);
  // The staff console the API serves at `/`, as `npm start` builds it (rebuilt when its sources changed).
  await ensureConsoleBuilt();
  const testServerPath = await temporalTestServerPath();
  const uiPort = await freePort();
  server = await startDevServer({
    port: await freePort(),
    uiPort,
    uiCodecEndpoint: '/codec',
    namespaces: Object.values(ownNamespaces),
  });
  project.provide('temporalAddress', server.address);
  project.provide('temporalUiUrl', `http://127.0.0.1:${uiPort}`);
  project.provide('databaseUrl', databaseUrl);
  project.provide('testServerPath', testServerPath);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
