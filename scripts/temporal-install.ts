/** `npm run temporal:install`: make sure the Temporal CLI and test server are available, print where. */
import { temporalCliPath, temporalTestServerPath } from './temporal-bin.js';

try {
  console.log(`temporal:             ${await temporalCliPath()}`);
  console.log(`temporal-test-server: ${await temporalTestServerPath()}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
