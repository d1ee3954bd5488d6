/**
 * Operator command for the people who sign in (usage below). `add` and `reset-password` print
 * the password as JSON on their last line: shown only this once, never logged. Exit code 2 for
 * bad usage, 1 when the command failed.
 */
import { parseArgs } from 'node:util';
import { addUser, listUsers, resetPassword, resetTotp, setDisabled } from '../api/users.js';
import { createPool } from '../db/pool.js';
import { prepareDatabase } from '../db/prepare.js';
import { badUsage } from './bad-usage.js';

const USAGE = `usage:
  npm run user -- add --agency <agency id> --name "<full name>" --email <email> [--password-stdin]
  npm run user -- list [--agency <agency id>]
  npm run user -- disable <user id or email>
  npm run user -- enable <user id or email>
  npm run user -- reset-password <user id or email> [--password-stdin]
  npm run user -- reset-totp <user id or email>   (a lost device: the person enrols again at the next sign-in)
Without --password-stdin a password is generated. Passwords have at least 12 characters and are not common ones.`;

/** The options each command takes, and how many positionals; any other is bad usage rather than silently ignored. */
const COMMANDS = {
  add: { options: ['agency', 'name', 'email', 'password-stdin'], who: false },
  list: { options: ['agency'], who: false },
  disable: { options: [], who: true },
  enable: { options: [], who: true },
  'reset-password': { options: ['password-stdin'], who: true },
  'reset-totp': { options: [], who: true },
} as const;

const usage: (problem: string) => never = badUsage(USAGE);

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      agency: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
} catch (error) {
  usage((error as Error).message);
}
const { positionals, values } = parsed;
const command = positionals[0] as keyof typeof COMMANDS;
if (!Object.hasOwn(COMMANDS, command)) usage(`unknown command ${positionals[0] ?? '(none)'}`);
const { options, who: needsWho } = COMMANDS[command];
if (positionals.length !== (needsWho ? 2 : 1))
  usage(needsWho ? `${command} needs one user ID or email` : `${command} takes no ${positionals[1]}`);
const stray = Object.keys(values).filter((option) => !(options as readonly string[]).includes(option));
if (stray.length > 0) usage(`${command} does not take --${stray.join(', --')}`);
if (command === 'add') {
  const missing = (['agency', 'name', 'email'] as const).filter((option) => !values[option]);
  if (missing.length > 0) usage(`add needs --${missing.join(', --')}`);
}
const who = positionals[1]!;

/** The password on standard input: its first line, without the line break (as `echo pw |` sends it). */
async function passwordFromStdin(): Promise<string | undefined> {
  if (!values['password-stdin']) return undefined;
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password === '') usage('--password-stdin: standard input holds no password');
  return password;
}
const password = await passwordFromStdin();

await prepareDatabase();
const pool = createPool(undefined, 2);
try {
  if (command === 'add') {
    console.log(JSON.stringify(await addUser(pool, { agencyId: values.agency!, name: values.name!, email: values.email!, password })));
  } else if (command === 'list') {
    console.log(JSON.stringify(await listUsers(pool, values.agency), null, 2));
  } else if (command === 'reset-password') {
    console.log(JSON.stringify(await resetPassword(pool, who, password)));
  } else if (command === 'reset-totp') {
    console.log(JSON.stringify({ userId: await resetTotp(pool, who), secondFactor: 'reset' }));
  } else {
    const userId = await setDisabled(pool, who, command === 'disable');
    console.log(JSON.stringify({ userId, disabled: command === 'disable' }));
  }
} catch (error) {
  console.error(`user ${command} failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
