/**
 * The signed-in person's intake queue for the whole console (the app shell holds it, so a queued
 * intake is sent whichever screen is open): submitted intakes go to IndexedDB first, then to the
 * API when there is a connection: at once, on start, on the `online` event and every 15 seconds (connection.ts).
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { IntakeReport } from '../api/client';
import { whenConnected } from '../connection';
import { ME } from '../session/session';
import { sendQueued, type Sent } from './send';
import {
  askToKeepQueue,
  forgetPerson,
  putQueued,
  queuedOf,
  rememberPerson,
  removeQueued,
  type KnownPerson,
  type QueuedIntake,
} from './store';

interface IntakeQueue {
  /** Not sent yet: waiting for signal, or refused and waiting for the officer. */
  items: QueuedIntake[];
  /** Sent from this page since it opened, newest first, with the case numbers the API gave. */
  sent: Sent[];
  /** Queues an intake under a key made now; `replacing` is the refused intake it corrects. */
  submit: (report: IntakeReport, replacing?: string) => Promise<void>;
  discard: (key: string) => Promise<void>;
  /** Signing out: the person's unsent intakes and who they were leave the phone. */
  forget: () => Promise<void>;
}

const IntakeQueueContext = createContext<IntakeQueue | null>(null);

/** `online`: a session the API knows (its CSRF token at hand), so sending can be tried; false while offline since the page opened. */
export function IntakeQueueProvider({ person, online, children }: { person: KnownPerson; online: boolean; children: ReactNode }) {
  const owner = person.userId;
  const [items, setItems] = useState<QueuedIntake[]>([]);
  const [sent, setSent] = useState<Sent[]>([]);
  const queries = useQueryClient();
  const reload = useCallback(async () => setItems(await queuedOf(owner)), [owner]);
  const send = useCallback(async () => {
    if (online && navigator.onLine) {
      const done = await sendQueued(owner);
      if (done.sent.length) setSent((before) => [...done.sent.reverse(), ...before]);
      // The sign-in screen takes over; the queue stays on the phone and goes on after signing in.
      if (done.signedOut) await queries.invalidateQueries({ queryKey: ME });
    }
    await reload();
  }, [online, owner, reload, queries]);

  useEffect(() => {
    if (online) void rememberPerson(person);
  }, [online, person]);
  useEffect(() => {
    void send();
    return whenConnected(() => void send());
  }, [send]);

  const value = useMemo<IntakeQueue>(
    () => ({
      items,
      sent,
      submit: async (report, replacing) => {
        // The key is made on the phone, once, when the officer submits: every later send of this intake carries it.
        await putQueued({ key: crypto.randomUUID(), owner, report, queuedAt: new Date().toISOString() });
        // Not awaited: a browser that asks the officer must not hold up sending.
        void askToKeepQueue();
        // A refused intake was never taken (4xx), so its correction goes under a new key.
        if (replacing) await removeQueued(replacing);
        await send();
      },
      discard: async (key) => {
        await removeQueued(key);
        await reload();
      },
      forget: async () => {
        await forgetPerson(owner);
        setItems([]);
        setSent([]);
      },
    }),
    [items, sent, owner, send, reload],
  );
  return <IntakeQueueContext.Provider value={value}>{children}</IntakeQueueContext.Provider>;
}

/** The queue, or null for a role that may not open cases. */
export const useIntakeQueue = () => useContext(IntakeQueueContext);
