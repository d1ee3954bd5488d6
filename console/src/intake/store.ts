/**
 * What the console keeps on the phone for intake with no signal (IndexedDB, through `idb`): the
 * intakes not sent yet, each with the Idempotency-Key made when it was submitted, and who was
 * signed in last (no name, email or token: the agency and its scope), so the intake screen opens
 * with no signal. docs/console.md ("Offline") says when each is deleted.
 */
import { openDB, type DBSchema } from 'idb';
import type { IntakeReport, Me } from '../api/client';

/** The API's word on a refused intake: a field (`errors[].path`, e.g. `person.nik`) and its message. */
export interface FieldProblem {
  path: string;
  message: string;
}

export interface QueuedIntake {
  /** The Idempotency-Key: every send of this intake carries it, so a retry never opens a second case. */
  key: string;
  /** The person who submitted it: only they see it and only their session sends it. */
  owner: string;
  report: IntakeReport;
  queuedAt: string;
  /** Refused by the API (4xx): kept, with the reason, until the officer corrects or discards it. */
  refusal?: { detail: string; errors: FieldProblem[] };
}

/** The signed-in person as far as the offline screen needs it. */
export type KnownPerson = Pick<Me, 'role' | 'agency' | 'scope'> & { userId: string };

interface ConsoleDb extends DBSchema {
  antrean: { key: string; value: QueuedIntake };
  orang: { key: 'terakhir'; value: KnownPerson };
}

const db = () =>
  openDB<ConsoleDb>('ppks-konsol', 1, {
    upgrade(database) {
      database.createObjectStore('antrean', { keyPath: 'key' });
      database.createObjectStore('orang');
    },
  });

export async function queuedOf(owner: string): Promise<QueuedIntake[]> {
  const all = await (await db()).getAll('antrean');
  return all.filter((item) => item.owner === owner).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
}

/**
 * Asks the browser to keep this site's storage under storage pressure (persistent storage), so an
 * unsent intake is not evicted from the phone: asked when an intake is queued, the moment it
 * matters; the browser decides (Chromium by the site's use, Firefox asks the officer once).
 */
export async function askToKeepQueue(): Promise<void> {
  if (navigator.storage?.persist && !(await navigator.storage.persisted())) await navigator.storage.persist();
}

export async function putQueued(item: QueuedIntake): Promise<void> {
  await (await db()).put('antrean', item);
}

export async function removeQueued(key: string): Promise<void> {
  await (await db()).delete('antrean', key);
}

export async function rememberPerson(person: KnownPerson): Promise<void> {
  await (await db()).put('orang', person, 'terakhir');
}

export async function lastPerson(): Promise<KnownPerson | null> {
  return (await (await db()).get('orang', 'terakhir')) ?? null;
}

/** Signing out on a shared phone: the person's unsent intakes (they were warned) and who they were. */
export async function forgetPerson(owner: string): Promise<void> {
  const database = await db();
  const transaction = database.transaction(['antrean', 'orang'], 'readwrite');
  const queue = transaction.objectStore('antrean');
  for (const item of await queue.getAll()) if (item.owner === owner) await queue.delete(item.key);
  await transaction.objectStore('orang').delete('terakhir');
  await transaction.done;
}
