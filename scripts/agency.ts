/**
 * Operator command for agencies and their API keys (usage below). `add` and `rotate` print the
 * new key as JSON on their last line: it is shown only this once. Exit code 2 for bad usage,
 * 1 when the command failed.
 */
import { DateTime, Duration } from 'luxon';
import { parseArgs } from 'node:util';
import { addAgency, listAgencies, revokeKeys, rotateKey } from '../api/agencies.js';
import { createPool } from '../db/pool.js';
import { prepareDatabase } from '../db/prepare.js';
import { agencyTable } from './agency-table.js';
import { badUsage } from './bad-usage.js';

const USAGE = `usage:
  npm run agency -- add --name "<name>" --role <role> [--region <kab/kota code>] [--upt <upt code>] [--expires-in P90D]
  npm run agency -- list [--json]
  npm run agency -- rotate --agency <agency id> [--grace PT24H] [--expires-in P90D]
  npm run agency -- revoke --agency <agency id> | --key <key id>
Durations are ISO 8601. rotate lets the old keys work for --grace (default PT24H; PT0S ends them at once).`;

/** The options each command takes; any other is bad usage rather than silently ignored. */
const COMMANDS = {
  add: ['name', 'role', 'region', 'upt', 'expires-in'],
  list: ['json'],
  rotate: ['agency', 'grace', 'expires-in'],
  revoke: ['agency', 'key'],
} as const;

const usage: (problem: string) => never = badUsage(USAGE);

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      region: { type: 'string' },
      upt: { type: 'string' },
      'expires-in': { type: 'string' },
      json: { type: 'boolean' },
      agency: { type: 'string' },
      grace: { type: 'string' },
      key: { type: 'string' },
    },
  });
} catch (error) {
  usage((error as Error).message);
}
const { positionals, values } = parsed;
const command = positionals[0] as keyof typeof COMMANDS;
if (positionals.length !== 1 || !Object.hasOwn(COMMANDS, command)) usage(`unknown command ${positionals.join(' ') || '(none)'}`);
const allowed: readonly string[] = COMMANDS[command];
const stray = Object.keys(values).filter((option) => !allowed.includes(option));
if (stray.length > 0) usage(`${command} does not take --${stray.join(', --')}`);
if (command === 'rotate' && !values.agency) usage('rotate needs --agency');
if (command === 'revoke' && !values.agency === !values.key) usage('revoke needs either --agency or --key');

/** An ISO 8601 duration from the command line, or bad usage. */
function duration(option: string, text: string | undefined): Duration | undefined {
  if (text === undefined) return undefined;
  const parsedDuration = Duration.fromISO(text);
  if (!parsedDuration.isValid || parsedDuration.toMillis() < 0) usage(`--${option} must be an ISO 8601 duration such as P90D or PT24H`);
  return parsedDuration;
}
const expiresIn = duration('expires-in', values['expires-in']);
const expiresAt = expiresIn && DateTime.now().plus(expiresIn).toJSDate();
const grace = duration('grace', values.grace);

await prepareDatabase();
const pool = createPool(undefined, 2);
try {
  if (command === 'add') {
    const created = await addAgency(pool, {
      name: values.name ?? '',
      role: values.role ?? '',
      regionCode: values.region,
      uptCode: values.upt,
      keyExpiresAt: expiresAt,
    });
    console.log(JSON.stringify(created));
  } else if (command === 'list') {
    const agencies = await listAgencies(pool);
    console.log(values.json ? JSON.stringify(agencies, null, 2) : agencyTable(agencies));
  } else if (command === 'rotate') {
    const rotated = await rotateKey(pool, values.agency!, { graceSeconds: grace?.as('seconds'), expiresAt });
    console.log(JSON.stringify(rotated));
  } else {
    const { revoked } = await revokeKeys(pool, values.agency ? { agencyId: values.agency } : { keyId: values.key! });
    if (revoked.length === 0) console.error('nothing to revoke: every key was revoked already');
    console.log(JSON.stringify({ revoked }));
  }
} catch (error) {
  console.error(`agency ${command} failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
