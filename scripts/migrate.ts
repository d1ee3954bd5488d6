/** `npm run migrate`: create the database when missing, migrate it, seed the reference data. */
import { config } from '../config.js';
import { prepareDatabase } from '../db/prepare.js';

await prepareDatabase();
console.log(`database ready: ${new URL(config.databaseUrl).pathname.slice(1)}`);
